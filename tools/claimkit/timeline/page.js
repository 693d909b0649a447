// The timeline's only script: the filter, and a version's full value and quote on tap.
// Without it the page still works: every mark links to its entry in the list below.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var detail = document.getElementById("detail");
  var detailBody = document.getElementById("detail-body");
  var count = document.getElementById("filter-count");
  if (!form || !detail) return;
  form.hidden = false;

  function matches(el) {
    return ["claim", "event", "standing"].every(function (name) {
      var wanted = form.elements[name].value;
      return wanted === "" || el.getAttribute("data-" + name) === wanted;
    });
  }

  function apply() {
    var shown = 0;
    var total = 0;
    var events = {};
    document.querySelectorAll(".lane-band").forEach(function (band) {
      var keep = matches(band);
      band.toggleAttribute("hidden", !keep); // an SVG element has no .hidden property
      total += 1;
      if (keep) {
        shown += 1;
        events[band.getAttribute("data-event")] = true;
      }
    });
    document.querySelectorAll(".event-band").forEach(function (band) {
      band.toggleAttribute("hidden", !events[band.getAttribute("data-event")]);
    });
    document.querySelectorAll("article.claim").forEach(function (article) {
      article.hidden = !matches(article);
    });
    count.textContent = shown === total ? "all " + total + " claims" : shown + " of " + total + " claims";
  }

  function show(mark) {
    var id = mark.getAttribute("href").slice(1);
    var entry = document.getElementById(id);
    if (!entry) return false;
    var copy = entry.cloneNode(true);
    copy.removeAttribute("id");
    var heading = document.createElement("p");
    heading.className = "detail-claim";
    var lane = mark.closest("[data-claim]");
    heading.textContent = lane ? lane.getAttribute("data-claim") : "";
    var link = document.createElement("a");
    link.href = "#" + id;
    link.textContent = "in the list";
    link.className = "detail-link";
    detailBody.replaceChildren(heading, copy, link);
    detail.hidden = false;
    detail.focus();
    return true;
  }

  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("a.mark");
    if (mark && show(mark)) event.preventDefault();
    if (event.target.closest && event.target.closest("#detail-close, .detail-link")) {
      detail.hidden = true;
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") detail.hidden = true;
  });
  apply();
})();

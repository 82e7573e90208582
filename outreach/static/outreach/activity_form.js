// The activity form shows the fields of the chosen kind only (听课, 节日走访, 党外人士); without script all show.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (!kind) return;
  var sets = document.querySelectorAll("fieldset.outreach-kind");
  function update() {
    sets.forEach(function (set) {
      var kinds = (set.getAttribute("data-kinds") || "").split(" ");
      set.hidden = kinds.indexOf(kind.value) === -1;
    });
  }
  kind.addEventListener("change", update);
  update();
})();

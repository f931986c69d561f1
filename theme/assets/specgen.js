/* specgen: filters on the examples index. The page lists every example without
   JavaScript; this only hides the ones the reader filtered out. */
(function () {
  "use strict";
  function setUp(root) {
    var form = root.querySelector(".sg-filter");
    var items = Array.prototype.slice.call(root.querySelectorAll("[data-level]"));
    var count = root.querySelector(".sg-filter__count");
    if (!form || !items.length) return;
    form.hidden = false;
    function checked(name) {
      return Array.prototype.slice
        .call(form.querySelectorAll('input[name="' + name + '"]:checked'))
        .map(function (input) { return input.value; });
    }
    function apply() {
      var levels = checked("level");
      var qualities = checked("quality");
      var shown = 0;
      items.forEach(function (item) {
        var itemQualities = (item.getAttribute("data-qualities") || "").split(" ");
        var visible = levels.indexOf(item.getAttribute("data-level")) !== -1 &&
          (itemQualities[0] === "" || itemQualities.some(function (q) { return qualities.indexOf(q) !== -1; }));
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = "Showing " + shown + " of " + items.length + " examples";
    }
    form.addEventListener("change", apply);
    apply();
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-sg-filter]"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

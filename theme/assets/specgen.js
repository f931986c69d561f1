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

/* specgen: the older-release banner links to the same page in the newest release; when
   that release has no such page (its sitemap says), go to its home page instead. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[data-sg-newest]") : null;
    if (!link || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    var home = new URL(link.getAttribute("data-sg-newest"), location.href);
    var wanted = new URL(link.getAttribute("href"), location.href);
    fetch(new URL("sitemap.xml", home)).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (text) {
      var path = wanted.pathname.slice(home.pathname.length);
      var locs = Array.prototype.map.call(
        new DOMParser().parseFromString(text, "application/xml").querySelectorAll("loc"),
        function (loc) { return new URL(loc.textContent).pathname; });
      var prefix = locs.reduce(function (a, b) {
        var i = 0; while (i < a.length && a[i] === b[i]) i++; return a.slice(0, i);
      }, locs[0] || "");
      var found = locs.indexOf(prefix + path) !== -1;
      location.href = (found ? wanted : home).href;
    }, function () { location.href = home.href; });
  });
})();

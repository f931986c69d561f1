/* specgen: filters on the examples index. The page lists every example without
   JavaScript; this only hides the ones the reader filtered out. The filters live in the
   address (?level=root,system&rated=bad; a box left out means all of its kind are
   ticked), so a reload, a bookmark or a shared link shows the same list. */
(function () {
  "use strict";
  var PARAMS = { level: "level", quality: "rated" };
  function setUp(root) {
    var form = root.querySelector(".sg-filter");
    var items = Array.prototype.slice.call(root.querySelectorAll("[data-level]"));
    var count = root.querySelector(".sg-filter__count");
    if (!form || !items.length) return;
    form.hidden = false;
    function boxes(name) {
      return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]'));
    }
    function checked(name) {
      return boxes(name).filter(function (input) { return input.checked; })
        .map(function (input) { return input.value; });
    }
    function restore() {
      var query = new URLSearchParams(location.search);
      Object.keys(PARAMS).forEach(function (name) {
        var value = query.get(PARAMS[name]);
        if (value === null) return;
        var wanted = value === "" ? [] : value.split(",");
        boxes(name).forEach(function (input) { input.checked = wanted.indexOf(input.value) !== -1; });
      });
    }
    function remember() {
      var query = new URLSearchParams(location.search);
      Object.keys(PARAMS).forEach(function (name) {
        var all = boxes(name), on = checked(name);
        if (on.length === all.length) query.delete(PARAMS[name]);
        else query.set(PARAMS[name], on.join(","));
      });
      var search = query.toString().replace(/%2C/g, ",");
      history.replaceState(history.state, "",
        location.pathname + (search ? "?" + search : "") + location.hash);
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
      var total = items.length;
      var text = (shown === total ? total + (total === 1 ? " example" : " examples")
        : shown + " of " + total + " examples shown") + ", in the order of the spec.";
      if (count.textContent !== text) count.textContent = text;
    }
    form.addEventListener("change", function () { apply(); remember(); });
    restore();
    apply();
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-sg-filter]"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* specgen: the older-release banner links to the same page in the newest release. The
   newest release's sitemap lists its pages; a section renamed since (former_ids) is not
   in it under the old address, but the newest release keeps a redirect page there,
   which leads on to the renamed section: so an address the sitemap lacks is asked for
   too. Only when neither has it does the link go to that release's home page. */
(function () {
  "use strict";
  function exists(url) {
    return fetch(url, { method: "HEAD" }).then(function (response) {
      return response.ok;
    }, function () { return false; });
  }
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
      return locs.indexOf(prefix + path) !== -1 || exists(wanted);
    }).then(function (found) {
      location.href = (found ? wanted : home).href;
    }, function () { location.href = home.href; });
  });
})();

{#-
  The script every page shares (assets/specgen/nav.HASH.js): the whole navigation tree,
  put in place of the page's own navigation (partials/nav.html) as soon as the browser
  reaches it, before the page is first drawn. It runs where it stands, right after the
  page's list: document.currentScript's previous sibling.

  top: the tree's top list; lists: each section's list by its toggle's id, with the lists
  inside it left empty (specgen.site.nav.split_lists). A list is put in place when it is
  shown: the page's path, the sections Material shows open, and any list the reader
  opens. A page's DOM then holds what it shows, not the whole tree: 8,000 entries take a
  browser seconds to lay out.
-#}
/* specgen: the whole navigation of this site, shared by its pages. */
(function () {
  "use strict";
  var script = document.currentScript;
  var list = script && script.previousElementSibling;
  if (!list || !list.hasAttribute("data-sg-nav-base")) return;
  var lists = {{ lists }};
  var shown = {};

  // Links are written as MkDocs writes a page's own links (mkdocs.utils.get_relative_url),
  // so the tree is the very markup Material renders for this page.
  var page = list.getAttribute("data-sg-nav-page");
  var base = list.getAttribute("data-sg-nav-base") || ".";
  var parts = function (path) {
    var out = [];
    path.split("/").forEach(function (part) {
      if (part === "..") out.pop();
      else if (part !== "" && part !== ".") out.push(part);
    });
    return out;
  };
  var relative = function (url, other) {
    var cut = other.lastIndexOf("/");
    if (other.slice(cut + 1).indexOf(".") >= 0) other = cut >= 0 ? other.slice(0, cut) : "";
    var from = parts(other);
    var to = parts(url);
    var common = 0;
    while (common < from.length && common < to.length && from[common] === to[common]) common++;
    var steps = [];
    for (var k = common; k < from.length; k++) steps.push("..");
    var out = steps.concat(to.slice(common)).join("/") || ".";
    return /\/$/.test(url) ? out + "/" : out;
  };
  var rebase = function (href) {
    if (page !== null) return relative(href, page);
    // no page (the 404 page): links hang from the base, as MkDocs' url filter does
    return base.replace(/\/+$/, "") + "/" + href;
  };
  var canon = function (url) {
    return url.replace(/[?#].*$/, "").replace(/index\.html$/, "");
  };
  var here = canon(window.location.href);
  var found = null;
  var place = function (target, html) {
    target.innerHTML = html;
    var links = target.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      link.setAttribute("href", rebase(link.getAttribute("href")));
      if (found === null && canon(link.href) === here) found = link;
    }
  };
  // A section's list, put in place the first time it is shown.
  var show = function (entry) {
    var toggle = entry && entry.querySelector(":scope > input.md-nav__toggle");
    if (!toggle || shown[toggle.id] || lists[toggle.id] === undefined) return;
    shown[toggle.id] = true;
    var inner = entry.querySelector(":scope > nav > ul.md-nav__list");
    if (inner) place(inner, lists[toggle.id]);
  };
  var entryOf = function (root, id) {
    var toggle = root.querySelector("#" + CSS.escape(id));
    return toggle && toggle.parentElement;
  };

  var tree = document.createElement("ul");
  place(tree, {{ top }});
  // The page's path: the sections its own navigation shows open (their toggles keep the
  // ids of the whole tree), outermost first.
  var path = Array.prototype.map.call(
    list.querySelectorAll("input.md-nav__toggle:checked"), function (t) { return t.id; }
  );
  path.sort(function (a, b) { return a.split("_").length - b.split("_").length; });
  path.forEach(function (id) { show(entryOf(tree, id)); });
{%- if "navigation.expand" in features %}
  // navigation.expand: every section shows open
  var all = function (root) {
    var entries = root.querySelectorAll("li.md-nav__item--nested");
    for (var e = 0; e < entries.length; e++) {
      if (!shown[entries[e].querySelector(":scope > input").id]) {
        show(entries[e]);
        all(entries[e]);
      }
    }
  };
  all(tree);
{%- elif "navigation.sections" in features and "navigation.tabs" not in features %}
  // navigation.sections: the top sections show open, with what they hold
  var tops = tree.querySelectorAll(":scope > li.md-nav__item--nested");
  for (var s = 0; s < tops.length; s++) show(tops[s]);
{%- endif %}

  // Open the tree at this page, as Material does when it renders the page's own tree.
  if (found !== null) {
    var entry = found.closest("li");
    var container = found.parentElement;
    if (container && container.classList.contains("md-nav__container")) {
      // a section's index page: the section's own link and toggle are active
      found.classList.add("md-nav__link--active");
      var label = container.querySelector(":scope > label");
      if (label) label.classList.add("md-nav__link--active");
    } else {
      // a page: the entry the page rendered (with its table of contents) takes its place
      var own = list.querySelector("li.md-nav__item--active > a.md-nav__link--active");
      var ownEntry = own && own.closest("li");
      if (ownEntry && !ownEntry.classList.contains("md-nav__item--nested")) {
        entry.replaceWith(ownEntry);
        entry = ownEntry;
      } else {
        found.classList.add("md-nav__link--active");
        entry.classList.add("md-nav__item--active");
      }
    }
    for (var node = entry; node && node !== tree; node = node.parentElement) {
      if (node.tagName !== "LI" || !node.classList.contains("md-nav__item--nested")) continue;
      // in Material's order of classes: the markup is then exactly Material's own
      if (!node.classList.contains("md-nav__item--active")) {
        node.className = node.className.replace(/^md-nav__item\b/, "md-nav__item md-nav__item--active");
      }
      var toggle = node.querySelector(":scope > input.md-nav__toggle");
      if (toggle) {
        toggle.checked = true;
        toggle.setAttribute("checked", "");
      }
      var nav = node.querySelector(":scope > nav.md-nav");
      if (nav) nav.setAttribute("aria-expanded", "true");
    }
  }
{%- if "navigation.tabs" in features %}
  // navigation.tabs: the open tab's entry shows as a section, and with
  // navigation.sections so do the entries below it that hold others
  var asSection = function (node) {
    if (node.classList.contains("md-nav__item--section")) return;
    node.className = node.className.replace(" md-nav__item--nested", " md-nav__item--section md-nav__item--nested");
    // a section's toggle is not a stop of the keyboard's tab order
    var toggles = node.querySelectorAll(":scope > label.md-nav__link, :scope > .md-nav__container > label");
    for (var t = 0; t < toggles.length; t++) toggles[t].setAttribute("tabindex", "");
  };
  var tab = tree.querySelector(":scope > li.md-nav__item--nested.md-nav__item--active");
  if (tab) {
    asSection(tab);
{%- if "navigation.sections" in features %}
    var inner = tab.querySelectorAll(":scope > nav > ul > li.md-nav__item--nested");
    for (var n = 0; n < inner.length; n++) {
      asSection(inner[n]);
      show(inner[n]);
    }
{%- endif %}
  }
{%- endif %}
  list.replaceChildren.apply(list, Array.prototype.slice.call(tree.childNodes));
  // A list the reader opens is put in place as its toggle turns on.
  list.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input.md-nav__toggle") && target.checked) {
      show(target.parentElement);
    }
  });
})();

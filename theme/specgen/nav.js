{#-
  The script every page shares (assets/specgen/nav.HASH.js): the whole navigation tree,
  put in place of the page's own navigation (partials/nav.html) as soon as the browser
  reaches it, before the page is first drawn. It runs where it stands, right after the
  page's list: document.currentScript's previous sibling.
-#}
/* specgen: the whole navigation of this site, shared by its pages. */
(function () {
  "use strict";
  var script = document.currentScript;
  var list = script && script.previousElementSibling;
  if (!list || !list.hasAttribute("data-sg-nav-base")) return;
  var tree = document.createElement("ul");
  tree.innerHTML = {{ tree }};

  // Links are written relative to the site's root; this page is base_url away from it.
  // Written as MkDocs writes a page's own links (mkdocs.utils.get_relative_url), so the
  // tree is the very markup Material renders for this page.
  var page = list.getAttribute("data-sg-nav-page");
  var base = list.getAttribute("data-sg-nav-base") || ".";
  var parts = function (path) {
    var out = [];
    path.split("/").forEach(function (part) {
      if (part === ".." ) out.pop();
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
  var links = tree.querySelectorAll("a[href]");
  for (var i = 0; i < links.length; i++) {
    var link = links[i];
    link.setAttribute("href", rebase(link.getAttribute("href")));
    if (found === null && canon(link.href) === here) found = link;
  }

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
    for (var s = 0; s < inner.length; s++) asSection(inner[s]);
{%- endif %}
  }
{%- endif %}
  list.replaceChildren.apply(list, Array.prototype.slice.call(tree.childNodes));
})();

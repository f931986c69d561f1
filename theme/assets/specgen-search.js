/*
 * specgen: the site's search, in Material's search box (partials/search.html), on the
 * Pagefind index the specgen plugin writes into search/ after the build.
 *
 * Nothing of the index is fetched until the box is opened (focused, clicked, or the
 * "/", "s" or "f" key) or typed into; then Pagefind's script fetches only the chunks of
 * the index that hold the words searched. Each page result is a section, an eval
 * prompt set or the home page; the examples and eval prompts on it that match are shown
 * under it, each linking to its own anchor.
 *
 * From disk (file://) a browser lets a page neither fetch Pagefind's files nor import
 * its module: a site built with `specgen build --offline` has the same pages' text in
 * search/specgen-offline.js (specgen/site/offline.py), a plain script loaded with a
 * <script> element and searched here, its results shown as Pagefind's are.
 *
 * Spec text reaches the page only as text nodes (textContent, createTextNode): never
 * through innerHTML, and Pagefind's own HTML excerpts are not used.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-sg-search]");
  var toggle = document.getElementById("__search");
  if (!box || !toggle) return;
  var input = box.querySelector("[data-sg-search-query]");
  var form = input && input.form;
  var status = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  if (!input || !form || !status || !list) return;

  var PAGE_SIZE = 10;
  var MAX_SUB = 3; // examples or headings shown under a page, the best first
  var WINDOW = 26; // words in an excerpt
  var engine = null; // the Pagefind module, once loaded (a promise)
  var generation = 0; // the query being shown; older searches drop their results
  var timer = null;
  var pending = []; // results of the current query not rendered yet
  var words = function (name) { return box.getAttribute("data-sg-" + name) || ""; };
  var pagefindUrl = new URL(words("pagefind"), location.href);
  var siteRoot = new URL("../", pagefindUrl); // search/pagefind.js sits in the site's root
  var fromDisk = location.protocol === "file:";
  var OFFLINE_GLOBAL = "__specgenOfflineIndex"; // what search/specgen-offline.js assigns

  function load() {
    if (engine === null && fromDisk) {
      engine = loadOffline();
      engine.catch(function () { engine = null; });
    } else if (engine === null) {
      engine = import(pagefindUrl.href).then(function (pagefind) {
        return Promise.resolve(pagefind.init())
          .then(function () {
            // A large site's index comes in shards (specgen/site/search_index.py): the
            // others are merged into this one.
            return fetch(new URL("specgen-shards.json", pagefindUrl).href);
          })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (shards) {
            return Promise.all((Array.isArray(shards) ? shards : []).map(function (path) {
              return pagefind.mergeIndex(new URL(String(path), pagefindUrl).href);
            }));
          })
          .then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; }); // a later query tries again
    }
    return engine;
  }

  // From disk: the offline index, by a <script> element (file:// allows no fetch).
  function loadOffline() {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = new URL("specgen-offline.js", pagefindUrl).href;
      script.onload = function () {
        var index = window[OFFLINE_GLOBAL];
        if (index && Array.isArray(index.pages)) resolve(offlineEngine(index.pages));
        else reject(new Error("no offline index"));
      };
      script.onerror = function () { reject(new Error("no offline index")); };
      document.head.appendChild(script);
    });
  }

  // Pagefind's search API on the offline index: every word of the query must begin a
  // word of the page or of its title (case-insensitive); pages whose title holds the
  // words come first, then those with the most hits. Each result's data() is shaped as
  // Pagefind's (url, meta, content, locations, anchors), for the same rendering.
  function offlineEngine(pages) {
    var entries = pages.map(function (page, order) {
      var content = String(page.content || "");
      var meta = page.meta || {};
      return {
        page: page,
        order: order,
        words: content.split(" ").map(fold),
        title: String(meta.title || "").toLowerCase().split(/[^\p{L}\p{N}_]+/u)
          .filter(Boolean)
      };
    });
    function startsWith(needle) {
      return function (word) { return word.indexOf(needle) === 0; };
    }
    return {
      search: function (query) {
        var needles = terms(query);
        var found = [];
        entries.forEach(function (entry) {
          var hits = {};
          var inTitle = 0;
          var every = needles.length > 0 && needles.every(function (needle) {
            var titled = entry.title.some(startsWith(needle));
            var any = false;
            entry.words.forEach(function (word, i) {
              if (word.indexOf(needle) === 0) { hits[i] = true; any = true; }
            });
            if (titled) inTitle++;
            return titled || any;
          });
          if (!every) return;
          var locations = Object.keys(hits).map(Number);
          found.push({ entry: entry, inTitle: inTitle, locations: locations });
        });
        found.sort(function (a, b) {
          return b.inTitle - a.inTitle || b.locations.length - a.locations.length ||
            a.entry.order - b.entry.order;
        });
        return {
          results: found.map(function (hit) {
            var page = hit.entry.page;
            return {
              data: function () {
                return Promise.resolve({
                  url: page.url,
                  meta: page.meta || {},
                  content: page.content || "",
                  locations: hit.locations,
                  anchors: page.anchors || []
                });
              }
            };
          })
        };
      }
    };
  }

  function fold(word) {
    return word.toLowerCase().replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, "");
  }

  // Opening and closing: Material's #__search toggle shows the overlay and the output.

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    load().catch(function () { /* shown when a query runs */ });
  }

  function close() {
    if (toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    input.blur();
  }

  input.addEventListener("focus", open);
  toggle.addEventListener("change", function () {
    if (toggle.checked && document.activeElement !== input) {
      // The header's search button (small screens): focus once the box is shown.
      setTimeout(function () { input.focus(); }, 250);
    }
    if (!toggle.checked && box.contains(document.activeElement)) {
      document.activeElement.blur();
    }
  });

  // Searching.

  input.addEventListener("input", function () {
    open();
    clearTimeout(timer);
    var query = input.value;
    timer = setTimeout(function () { run(query); }, 120);
  });

  form.addEventListener("reset", function () {
    clearTimeout(timer);
    setTimeout(function () { run(""); input.focus(); }, 0);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector(".md-search-result__link");
    if (first) {
      close();
      first.click();
    }
  });

  function say(text) {
    status.textContent = text;
  }

  function counted(n) {
    if (n === 0) return words("none");
    if (n === 1) return words("one");
    return words("other").replace("#", String(n));
  }

  function unavailable(id) {
    if (id !== generation) return;
    say(fromDisk
      ? "Search from disk needs a site built with specgen build --offline (or served over http)."
      : "Search is not available: its index could not be loaded.");
  }

  // The results of the last query typed replace those shown once they are all in, so
  // the list does not flicker while typing.
  function run(query) {
    var id = ++generation;
    if (!query.trim()) {
      pending = [];
      list.textContent = "";
      say(words("placeholder"));
      return;
    }
    if (engine === null) say(words("initializer"));
    load().then(function (pagefind) {
      return pagefind.search(query);
    }).then(function (search) {
      if (id !== generation) return;
      pending = search.results.slice();
      return more(id, terms(query), pending.length);
    }).catch(function () { unavailable(id); });
  }

  // The next PAGE_SIZE results; ``total``: the first of a query, which replace the list.
  function more(id, needles, total) {
    var batch = pending.splice(0, PAGE_SIZE);
    return Promise.all(batch.map(function (result) { return result.data(); }))
      .then(function (pages) {
        if (id !== generation) return;
        if (total !== undefined) {
          list.textContent = "";
          say(counted(total));
        }
        var old = list.querySelector(".sg-search__more");
        if (old) old.parentNode.removeChild(old);
        pages.forEach(function (page) {
          var item = renderPage(page, needles);
          if (item) list.appendChild(item);
        });
        if (pending.length) list.appendChild(moreButton(id, needles));
      });
  }

  function moreButton(id, needles) {
    var item = document.createElement("li");
    item.className = "md-search-result__item sg-search__more";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-search-result__link sg-search__more-button";
    button.textContent = "+ " + counted(pending.length);
    button.addEventListener("click", function () {
      if (button.disabled) return;
      button.disabled = true;
      var focusNext = document.activeElement === button;
      var before = links().length - 1; // the first new result takes the button's place
      more(id, needles).then(function () {
        if (focusNext && links()[before]) links()[before].focus();
      }).catch(function () { unavailable(id); });
    });
    item.appendChild(button);
    return item;
  }

  // Words of the query, for marking them in titles (Pagefind gives word positions for
  // the text; titles are matched here, by prefix, as Pagefind matches words).
  function terms(query) {
    return query.toLowerCase().split(/\s+/).map(function (w) {
      return w.replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, "");
    }).filter(function (w) { return w.length > 0; });
  }

  // One page of the index -> one item: the page, then its best matching parts.
  function renderPage(page, needles) {
    var url = siteUrl(page.url);
    if (!url) return null;
    var meta = page.meta || {};
    var kind = kindOf(page.url);
    var content = (page.content || "").split(" ");
    var hits = (page.locations || []).slice().sort(function (a, b) { return a - b; });
    var skip = meta.sid && content[0] === meta.sid + "." ? 1 : 0; // the id the page indexes first
    var parts = partsOf(page, meta, kind, content.length);
    var firstPart = parts.length ? parts[0].start : content.length;

    var item = document.createElement("li");
    item.className = "md-search-result__item";
    var pageHits = hits.filter(function (h) { return h >= skip && h < firstPart; });
    item.appendChild(row(url, meta.title || page.url, true, kindLine(kind, meta),
      excerpt(content, skip, firstPart, pageHits, pageHits.length > 0 || hitsIn(hits, parts) === 0),
      needles));

    var matched = parts.map(function (part) {
      part.hits = hits.filter(function (h) { return h >= part.start && h < part.end; });
      return part;
    }).filter(function (part) { return part.hits.length > 0 || matchesTitle(part.title, needles); });
    matched.sort(function (a, b) { return b.hits.length - a.hits.length || a.start - b.start; });
    matched.slice(0, MAX_SUB).sort(function (a, b) { return a.start - b.start; })
      .forEach(function (part) {
        var target = new URL(url.href);
        target.hash = part.id;
        var body = part.start + part.skip;
        var partHits = part.hits.filter(function (h) { return h >= body; });
        item.appendChild(row(target, part.title, false, part.label,
          excerpt(content, body, part.end, partHits, true), needles));
      });
    return item;
  }

  function hitsIn(hits, parts) {
    return parts.reduce(function (n, part) {
      return n + hits.filter(function (h) { return h >= part.start && h < part.end; }).length;
    }, 0);
  }

  // The parts of a page: its examples or eval prompts (figures whose caption the index
  // keeps as "ex.<anchor>") and the headings of its text.
  function partsOf(page, meta, kind, length) {
    var anchors = (page.anchors || []).filter(function (a) {
      if (a.element === "figure") return typeof meta["ex." + a.id] === "string";
      return /^h[2-6]$/.test(a.element) && a.text;
    }).sort(function (a, b) { return a.location - b.location; });
    return anchors.map(function (a, i) {
      var figure = a.element === "figure";
      var title = figure ? meta["ex." + a.id] : a.text;
      return {
        id: a.id,
        start: a.location,
        end: i + 1 < anchors.length ? anchors[i + 1].location : length,
        // a figure's text starts with its caption, a heading's with itself: shown as the title
        skip: title.split(/\s+/).filter(Boolean).length,
        title: title,
        label: figure ? (kind === "eval" ? "Eval prompt" : "Example") : ""
      };
    });
  }

  // What a page is, from where the site puts it: the home page, an eval prompt set
  // (eval/<set>/), or a section (/<id>/).
  function kindOf(path) {
    var rel = String(path).replace(/^\/+/, "");
    if (rel === "" || rel === "index.html") return "page";
    return /^eval\//.test(rel) ? "eval" : "section";
  }

  // Under a page's title: "Section <id>" (an eval prompt set's title says what it is).
  function kindLine(kind, meta) {
    return kind === "section" ? ["Section", meta.sid || ""].filter(Boolean) : [];
  }

  function siteUrl(path) {
    if (typeof path !== "string") return null;
    var url = new URL(path.replace(/^\/+/, ""), siteRoot);
    return url.origin === siteRoot.origin ? url : null;
  }

  // An excerpt of words [start, end) of the page's text around its hits, hits marked.
  function excerpt(content, start, end, hits, always) {
    if (end <= start || (!hits.length && !always)) return null;
    var from = start;
    if (hits.length) {
      var best = hits[0];
      var most = 0;
      hits.forEach(function (h) {
        var n = hits.filter(function (k) { return k >= h && k < h + WINDOW; }).length;
        if (n > most) { most = n; best = h; }
      });
      from = Math.max(start, Math.min(best - 6, end - WINDOW));
    }
    var to = Math.min(end, from + WINDOW);
    var marked = {};
    hits.forEach(function (h) { marked[h] = true; });
    var p = document.createElement("p");
    if (from > start) p.appendChild(document.createTextNode("… "));
    for (var i = from; i < to; i++) {
      if (i > from) p.appendChild(document.createTextNode(" "));
      appendWord(p, content[i], marked[i]);
    }
    if (to < end) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function appendWord(parent, word, mark) {
    if (!mark) {
      parent.appendChild(document.createTextNode(word));
      return;
    }
    var m = /^([^\p{L}\p{N}_]*)(.*?)([^\p{L}\p{N}_]*)$/u.exec(word) || ["", "", word, ""];
    if (m[1]) parent.appendChild(document.createTextNode(m[1]));
    var el = document.createElement("mark");
    el.textContent = m[2] || word;
    parent.appendChild(el);
    if (m[3]) parent.appendChild(document.createTextNode(m[3]));
  }

  function matchesTitle(title, needles) {
    return title.toLowerCase().split(/[^\p{L}\p{N}_]+/u).some(function (w) {
      return w && needles.some(function (n) { return w.indexOf(n) === 0; });
    });
  }

  function appendTitle(parent, title, needles) {
    title.split(/([^\p{L}\p{N}_]+)/u).forEach(function (piece) {
      var lower = piece.toLowerCase();
      if (piece && needles.some(function (n) { return lower.indexOf(n) === 0; })) {
        var el = document.createElement("mark");
        el.textContent = piece;
        parent.appendChild(el);
      } else if (piece) {
        parent.appendChild(document.createTextNode(piece));
      }
    });
  }

  function row(url, title, isPage, kind, text, needles) {
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = url.href;
    link.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    if (isPage) {
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      article.appendChild(icon);
    }
    var heading = document.createElement(isPage ? "h1" : "h2");
    if (!isPage && kind) {
      var label = document.createElement("span");
      label.className = "sg-search__kind";
      label.textContent = kind;
      heading.appendChild(label);
      heading.appendChild(document.createTextNode(" "));
    }
    appendTitle(heading, title, needles);
    article.appendChild(heading);
    if (isPage && kind.length) {
      var line = document.createElement("div");
      line.className = "sg-search__where";
      kind.forEach(function (w, i) {
        if (i > 0) line.appendChild(document.createTextNode(" "));
        var span = document.createElement(i === 1 ? "code" : "span");
        span.textContent = w;
        line.appendChild(span);
      });
      article.appendChild(line);
    }
    if (text) article.appendChild(text);
    link.appendChild(article);
    link.addEventListener("click", function () { close(); });
    return link;
  }

  // The keyboard, as in Material: "/", "s" or "f" opens the search; in it the arrows
  // move through the results, Enter opens one, Escape closes the search.

  function links() {
    return Array.prototype.slice.call(
      list.querySelectorAll(".md-search-result__link, .sg-search__more-button"));
  }

  function editable(el) {
    if (!el || el === document.body) return false;
    return el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    var active = document.activeElement;
    if (!toggle.checked || !box.contains(active)) {
      if ((event.key === "/" || event.key === "s" || event.key === "f") && !editable(active)) {
        event.preventDefault();
        open();
        input.focus();
        input.select();
      }
      return;
    }
    var all = links();
    var at = all.indexOf(active);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      var next = all[Math.min(at + 1, all.length - 1)];
      if (next) next.focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at <= 0) input.focus();
      else all[at - 1].focus();
    }
  }, true);
})();

/* Search page: Pagefind (the engine) over one bundle per window of a month (broadsheet/search.py
 * shard_map), searched newest first, and a headline index of the whole archive, so the first
 * results cost the same on any archive.
 *
 * - The body shards (pagefind/<shard>/) are merged into one Pagefind instance one at a time, newest
 *   first, and each is searched on its own (a synthetic `shard` filter) with the date sort: results
 *   arrive in date order, shard after shard, and older shards are loaded only as the reader asks for
 *   more.  The date scope (从/到) limits which shards are ever loaded.
 * - The headline index (pagefind/headlines/, see broadsheet/search.py write_headlines) finds, across
 *   the whole archive, the articles whose headline holds the query: 按相关度 shows those first
 *   (newest first), then the body matches; 按时间 shows every match newest first.
 * - Text is indexed as character bigrams written as ASCII tokens (Pagefind segments Chinese queries
 *   otherwise than pages); queries are encoded the same way (keep gramQuery in step with
 *   broadsheet.search.gram_query) after folding Traditional characters to Simplified (assets/t2s.js,
 *   as the index was folded at build time).
 */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) { return; }
  var form = root.querySelector("form");
  var input = form.elements.q;
  var message = root.querySelector(".pagefind-ui__message");
  var list = root.querySelector(".search-results");
  var moreButton = root.querySelector(".search-more");
  var bundleRoot = new URL(root.getAttribute("data-bundle"), window.location.href);
  var siteRoot = new URL("../", bundleRoot).pathname;
  var allShards = (root.getAttribute("data-shards") || "").split(" ").filter(Boolean);  // newest first
  var PAGE = 10;          // results shown at a time
  var SHARDS_PER_ASK = 12;  // body shards searched, at most, before waiting for the reader to ask again
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]+/gu;
  var HAN_ONLY = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]+$/u;

  var T2S = {};
  (function () {
    var pairs = Array.from(window.BroadsheetT2S || "");
    for (var i = 0; i + 1 < pairs.length; i += 2) { T2S[pairs[i]] = pairs[i + 1]; }
  })();
  function foldChars(text) {  // one code point for one: the text as indexed
    return Array.from(text).map(function (c) { return (T2S[c] || c).toLowerCase(); });
  }
  function fold(text) { return foldChars(text).join(""); }

  function code(ch) {
    var s = ch.codePointAt(0).toString(36);
    while (s.length < 4) { s = "0" + s; }
    return s;
  }
  function tokens(run) {
    var codes = Array.from(run).map(code), out = [];
    for (var i = 0; i + 1 < codes.length; i++) { out.push("qx" + codes[i] + codes[i + 1]); }
    return out;
  }
  /* The query's parts: [isHan, text], folded. */
  function parts(query) {
    var out = [], at = 0, m;
    query = fold(query);
    HAN.lastIndex = 0;
    while ((m = HAN.exec(query)) !== null) {
      query.slice(at, m.index).split(/\s+/).filter(Boolean).forEach(function (w) { out.push([false, w]); });
      out.push([true, m[0]]);
      at = m.index + m[0].length;
    }
    query.slice(at).split(/\s+/).filter(Boolean).forEach(function (w) { out.push([false, w]); });
    return out;
  }
  function gramQuery(query) {
    var ps = parts(query), terms = [];
    ps.forEach(function (p) {
      if (!p[0]) { terms.push(p[1]); return; }
      var t = tokens(p[1]);
      terms.push.apply(terms, t.length ? t : ["qy" + code(p[1])]);
    });
    if (ps.length === 1 && ps[0][0] && Array.from(ps[0][1]).length > 1) { return '"' + terms.join(" ") + '"'; }
    return terms.join(" ");
  }
  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  /* An excerpt of `text` around the first of the query's words, each marked where it occurs (found in
     the folded text, marked in the text as printed: folding keeps positions). */
  function excerpt(text, words, size) {
    var chars = Array.from(text), folded = foldChars(text), marked = new Array(chars.length), first = -1;
    words.forEach(function (w) {
      var wc = Array.from(w);
      if (!wc.length) { return; }
      for (var i = 0; i + wc.length <= folded.length; i++) {
        var k = 0;
        while (k < wc.length && folded[i + k] === wc[k]) { k++; }
        if (k === wc.length) {
          for (k = 0; k < wc.length; k++) { marked[i + k] = true; }
          if (first < 0 || i < first) { first = i; }
        }
      }
    });
    var start = size ? Math.max(0, (first < 0 ? 0 : first) - Math.floor(size / 3)) : 0;
    var end = size ? Math.min(chars.length, start + size) : chars.length;
    var html = "", open = false;
    for (var i = start; i < end; i++) {
      if (marked[i] && !open) { html += "<mark>"; open = true; }
      if (!marked[i] && open) { html += "</mark>"; open = false; }
      html += escapeHtml(chars[i]);
    }
    if (open) { html += "</mark>"; }
    return (start > 0 ? "…" : "") + html + (end < chars.length ? "…" : "");
  }
  function bigrams(word) {
    var cs = Array.from(word), out = [];
    for (var i = 0; i + 1 < cs.length; i++) { out.push(cs[i] + cs[i + 1]); }
    return out;
  }
  function monthLabel(month) {
    return month.slice(0, 4) + "年" + parseInt(month.slice(5, 7), 10) + "月";
  }
  /* What the shards searched so far cover: a shard is a month's first window (named by the month)
   * or a later one (named by its first day), so the oldest shard searched says where it ends. */
  function spanLabel(searched) {
    if (!searched.length) { return ""; }
    var oldest = searched[searched.length - 1], newest = searched[0].slice(0, 7);
    if (oldest.length > 7) {
      var day = monthLabel(oldest) + parseInt(oldest.slice(8, 10), 10) + "日";
      return oldest.slice(0, 7) === newest ? day + "以来" : day + "至" + monthLabel(newest);
    }
    return oldest === newest ? monthLabel(oldest) : monthLabel(oldest) + "至" + monthLabel(newest);
  }

  var cache = {};
  function fetchJSON(path) {
    if (!cache[path]) {
      cache[path] = fetch(new URL(path, bundleRoot)).then(function (r) {
        if (!r.ok) { throw new Error(path + ": " + r.status); }
        return r.json();
      });
    }
    return cache[path];
  }

  /* ---- One search: a query, a sort and a date scope, read progressively. ---- */
  function Run(query, sort, from, to) {
    this.query = query;
    this.sort = sort;
    this.words = parts(query).map(function (p) { return p[1]; });
    this.gq = gramQuery(query);
    // After every exact match: pages holding all the query's bigrams, but not side by side (按相关度, one
    // Chinese run of three characters or more).  The same index words: no more chunks to load.
    this.loose = sort !== "time" && /^"/.test(this.gq) && this.gq.split(" ").length > 1 ? this.gq.replace(/"/g, "") : null;
    this.phase = "exact";
    this.merged = {};
    this.reached = 0;         // shards searched (in either phase)
    this.shards = allShards.filter(function (s) {
      var m = s.slice(0, 7);
      return (!from || m >= from) && (!to || m <= to);
    });
    this.from = from;
    this.to = to;
    this.next = 0;            // next shard to search
    this.queue = [];          // the current shard's results not yet shown
    this.bodyCount = 0;       // matches in the shards searched
    this.searchedMonths = {};
    this.seen = {};           // urls shown
    this.shown = 0;
    this.instance = null;
    this.headline = null;     // {ids: [...] newest first, at: next}
    this.headlineUrls = {};   // month → {url: true} of verified headline matches
  }
  Run.prototype.pagefind = function () {
    var run = this;
    if (!run.instance) {
      var primary = run.shards[0];
      run.instance = import(new URL(allShards[0] + "/pagefind.js", bundleRoot).href).then(function (mod) {
        var inst = mod.createInstance({ basePath: new URL(primary + "/", bundleRoot).pathname });
        return inst.options({ baseUrl: siteRoot, mergeFilter: { shard: [primary] } }).then(function () { return inst; });
      });
    }
    return run.instance;
  };
  Run.prototype.destroy = function () {
    if (this.instance) { this.instance.then(function (inst) { return inst.destroy(); }).catch(function () {}); }
  };
  /* Headline candidates across the archive (bigram lists intersected), within the scope, newest first. */
  Run.prototype.headlines = function () {
    var run = this;
    if (run.headline) { return run.headline; }
    var grams = [];
    run.words.forEach(function (w) {
      var cs = Array.from(w);
      for (var i = 0; i + 1 < cs.length; i++) {
        var g = cs[i] + cs[i + 1];
        if (HAN_ONLY.test(g) && grams.indexOf(g) < 0) { grams.push(g); }
      }
    });
    // A query is looked up by the bigrams of its Chinese runs (its other words are checked against
    // the headlines found); one with none (a single character, Latin words) has no headline matches.
    if (!grams.length) {
      run.headline = Promise.resolve({ ids: [], starts: [], months: [], at: 0 });
      return run.headline;
    }
    // Up to ten bigrams, spread over the query: fewer buckets to fetch, few enough candidates to check
    // (six let common bigrams through: a ten-year archive's headline checks then read 600 KB).
    if (grams.length > 10) {
      var picked = [];
      for (var k = 0; k < 10; k++) { picked.push(grams[Math.round(k * (grams.length - 1) / 9)]); }
      grams = picked;
    }
    run.headline = fetchJSON("headlines/index.json").then(function (index) {
      var B = index.buckets;
      return Promise.all(grams.map(function (g) {
        var cs = Array.from(g);
        var b = (cs[0].codePointAt(0) * 65599 + cs[1].codePointAt(0)) % B;
        return fetchJSON("headlines/b" + b + ".json").then(function (bucket) {
          var ids = [], n = 0;
          (bucket[g] || "").split(",").filter(Boolean).forEach(function (gap) { n += parseInt(gap, 36); ids.push(n); });
          return ids;
        });
      })).then(function (lists) {
        lists.sort(function (a, b) { return a.length - b.length; });
        var ids = lists[0];
        lists.slice(1).forEach(function (other) {
          var set = new Set(other);
          ids = ids.filter(function (id) { return set.has(id); });
        });
        var starts = [], months = [], n = 0;
        index.months.forEach(function (m) { starts.push(n); months.push(m[0]); n += m[1]; });
        ids = ids.filter(function (id) {
          var m = months[monthIndex(starts, id)];
          return (!run.from || m >= run.from) && (!run.to || m <= run.to);
        }).reverse();
        var h = { ids: ids, starts: starts, months: months, at: 0 };
        if (ids.length > 40) { return h; }
        // Few candidates (a long query, such as a whole headline): the headline that is the query
        // itself first, then titles holding it, then kickers and subtitles; newest first in each.
        return Promise.all(ids.map(function (id) { return run.row(h, id); })).then(function (rows) {
          var q = run.words.join("");
          var rank = ids.map(function (id, i) {
            var title = rows[i] ? fold(rows[i][0].split("\n")[0]).replace(/\s+/g, "") : "";
            var klass = title === q ? 0 : run.words.every(function (w) { return title.indexOf(w) >= 0; }) ? 1 : 2;
            return [klass, i, id];
          });
          rank.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
          h.ids = rank.map(function (r) { return r[2]; });
          return h;
        });
      });
    }).catch(function () { return { ids: [], starts: [], months: [], at: 0 }; });
    return run.headline;
  };
  function monthIndex(starts, id) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= id) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }
  /* Is the query in this headline (every word inside one of its lines)? */
  Run.prototype.inHeadline = function (lines) {
    var words = this.words;
    return fold(lines).split("\n").some(function (line) {
      return words.every(function (w) { return line.indexOf(w) >= 0; });
    });
  };
  Run.prototype.row = function (h, id) {
    var mi = monthIndex(h.starts, id);
    return fetchJSON("headlines/" + h.months[mi] + ".json").then(function (table) {
      return table[id - h.starts[mi]] || null;
    });
  };
  Run.prototype.headlineRow = function (h, id) {
    var run = this, month = h.months[monthIndex(h.starts, id)];
    return run.row(h, id).then(function (row) {
      if (!row || !run.inHeadline(row[0])) { return null; }
      var lines = row[0].split("\n");
      return { url: row[1], title: lines[0], where: row[2] + " · " + row[3], month: month,
               excerpt: excerpt(lines.join("　"), run.words, 0), headline: true };
    });
  };
  /* The verified headline matches of one month (so that the body results skip them). */
  Run.prototype.headlineUrlsIn = function (month) {
    var run = this;
    if (run.headlineUrls[month]) { return run.headlineUrls[month]; }
    run.headlineUrls[month] = run.headlines().then(function (h) {
      var mine = h.ids.filter(function (id) { return h.months[monthIndex(h.starts, id)] === month; });
      return Promise.all(mine.map(function (id) { return run.headlineRow(h, id); })).then(function (rows) {
        var urls = {};
        rows.forEach(function (r) { if (r) { urls[r.url] = true; } });
        return urls;
      });
    });
    return run.headlineUrls[month];
  };
  Run.prototype.nextHeadline = function () {
    var run = this;
    return run.headlines().then(function (h) {
      if (h.at >= h.ids.length) { return null; }
      // Fetch the month tables of the next few candidates together.
      h.ids.slice(h.at, h.at + PAGE).forEach(function (id) {
        fetchJSON("headlines/" + h.months[monthIndex(h.starts, id)] + ".json").catch(function () {});
      });
      var id = h.ids[h.at++];
      return run.headlineRow(h, id).then(function (r) { return r || run.nextHeadline(); });
    });
  };
  /* Search the next body shard; false when there is none left (or the reader must ask). */
  Run.prototype.searchShard = function () {
    var run = this;
    if (run.next >= run.shards.length) { return Promise.resolve(false); }
    var first = run.next === 0, shard = run.shards[run.next++], loose = run.phase === "loose";
    run.reached = Math.max(run.reached, run.next);
    return run.pagefind().then(function (inst) {
      var merged = first || run.merged[shard] ? Promise.resolve() :
        inst.mergeIndex(new URL(shard + "/", bundleRoot).pathname, { mergeFilter: { shard: [shard] } });
      run.merged[shard] = true;
      return merged.then(function () {
        return inst.search(loose ? run.loose : run.gq, { sort: { date: "desc" }, filters: { shard: [shard] } });
      });
    }).then(function (found) {
      var results = found.results.slice().sort(function (a, b) { return b.score - a.score; });  // date order
      if (!loose) {
        run.bodyCount += results.length;
        run.searchedMonths[shard.slice(0, 7)] = true;
      }
      run.queue = results.map(function (res) { return { res: res, data: null, month: shard.slice(0, 7), loose: loose }; });
      return true;
    });
  };
  Run.prototype.nextBody = function (budget) {
    var run = this;
    if (!run.queue.length) {
      if (run.next >= run.shards.length && run.phase === "exact" && run.loose) {
        run.phase = "loose";
        run.next = 0;
      }
      if (budget.shards <= 0 && run.next < run.shards.length) { return Promise.resolve("ask"); }
      budget.shards--;
      return run.searchShard().then(function (more) { return more ? run.nextBody(budget) : null; });
    }
    // Load the next few results' data together.
    run.queue.slice(0, PAGE).forEach(function (q) { if (!q.data) { q.data = q.res.data(); } });
    var item = run.queue.shift();
    var skip = run.sort === "time" ? Promise.resolve({}) : run.headlineUrlsIn(item.month);
    return Promise.all([item.data, skip]).then(function (both) {
      var d = both[0], meta = d.meta || {};
      var url = meta.url || "";
      if (both[1][url] || run.seen[url]) { return run.nextBody(budget); }
      return { url: url, title: meta.title || "", where: [meta.date, meta.page].filter(Boolean).join(" · "),
               excerpt: excerpt(meta.text || "", item.loose ? bigrams(run.words[0]) : run.words, 80),
               month: item.month, headline: false, loose: item.loose };
    });
  };
  Run.prototype.nextItem = function (budget) {
    var run = this;
    if (run.sort !== "time" && !run.headlinesDone) {
      return run.nextHeadline().then(function (r) {
        if (r) { return r; }
        run.headlinesDone = true;
        return run.nextBody(budget);
      });
    }
    return run.nextBody(budget);
  };
  Run.prototype.count = function () {
    // Body matches in the shards searched, plus headline matches in the months not searched yet.
    var run = this;
    return run.headlines().then(function (h) {
      var outside = 0;
      if (run.sort !== "time") {
        h.ids.forEach(function (id) { if (!run.searchedMonths[h.months[monthIndex(h.starts, id)]]) { outside++; } });
      }
      return run.bodyCount + outside;
    });
  };

  /* ---- The page. ---- */
  var current = null;

  function render(item) {
    var li = document.createElement("li");
    li.className = "pagefind-ui__result" + (item.headline ? " result-headline" : "") + (item.loose ? " result-loose" : "");
    var title = document.createElement("p");
    title.className = "pagefind-ui__result-title";
    var a = document.createElement("a");
    a.className = "pagefind-ui__result-link";
    a.href = siteRoot + item.url;
    a.textContent = item.title;
    title.appendChild(a);
    var p = document.createElement("p");
    p.className = "pagefind-ui__result-excerpt";
    p.innerHTML = '<span class="result-where">' + escapeHtml(item.where) + "</span> " + item.excerpt;
    li.appendChild(title);
    li.appendChild(p);
    list.appendChild(li);
  }

  function status(run, done) {
    var q = run.query, left = run.next < run.shards.length || run.queue.length > 0 ||
      run.phase === "exact" && !!run.loose;
    var span = spanLabel(run.shards.slice(0, run.reached));
    if (!done) {
      message.textContent = "正在搜索“" + q + "”……";
      return Promise.resolve();
    }
    return run.count().then(function (n) {
      if (run !== current) { return; }
      var text;
      if (n === 0 && run.shown === 0 && !left) {
        text = "没有找到与“" + q + "”相关的内容";
      } else if (run.shown === 0) {
        text = "在" + span + "的报道中没有找到与“" + q + "”相关的内容";
      } else if (n === 0) {
        text = "没有找到与“" + q + "”完全一致的内容；以下报道分散地含有它的字词";
      } else {
        text = (n === 1 ? "找到 1 条" : "找到 " + n + " 条") + "与“" + q + "”相关的结果" +
          (left && span ? "（已搜索" + span + "的报道）" : "");
      }
      message.textContent = text;
      moreButton.hidden = !done || !left && !(run.sort !== "time" && !run.headlinesDone);
      moreButton.textContent = run.next < run.shards.length && !run.queue.length &&
        (run.sort === "time" || run.headlinesDone) ? "搜索更早的报道" : "更多结果";
    });
  }

  function pull(run, n) {
    var budget = { shards: SHARDS_PER_ASK }, got = 0;
    if (!run.started && run.shards.length) {
      // Pagefind (script, wasm, the newest shard's index for this query) loads while the headline
      // index is read.
      run.started = true;
      run.pagefind().then(function (inst) {
        return inst.preload(run.gq, { filters: { shard: [run.shards[0]] } });
      }).catch(function () {});
    }
    run.busy = true;
    moreButton.hidden = true;
    status(run, false);
    function step() {
      if (run !== current) { return Promise.resolve(); }
      if (got >= n) { return Promise.resolve(); }
      return run.nextItem(budget).then(function (item) {
        if (run !== current || item === null || item === "ask") { return; }
        if (run.seen[item.url]) { return step(); }
        run.seen[item.url] = true;
        run.shown++;
        got++;
        render(item);
        return step();
      });
    }
    return step().then(function () {
      run.busy = false;
      return status(run, true);
    }).catch(function (e) {
      run.busy = false;
      if (run === current) { message.textContent = "搜索出错：" + e; }
    });
  }

  function settings() {
    var sort = form.querySelector("button[data-sort][aria-pressed=true]");
    return { q: input.value.trim(), sort: sort ? sort.getAttribute("data-sort") : "", from: form.elements.from.value,
             to: form.elements.to.value };
  }
  function start(push) {
    var s = settings();
    if (s.from && s.to && s.from > s.to) { var t = s.from; s.from = s.to; s.to = t; }
    var params = new URLSearchParams();
    if (s.q) { params.set("q", s.q); }
    if (s.from) { params.set("from", s.from); }
    if (s.to) { params.set("to", s.to); }
    if (s.sort) { params.set("sort", s.sort); }
    var url = window.location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (push && url !== window.location.pathname + window.location.search) { window.history.replaceState(null, "", url); }
    if (current) { current.destroy(); }
    list.textContent = "";
    message.textContent = "";
    moreButton.hidden = true;
    if (!s.q) { current = null; return; }
    current = new Run(s.q, s.sort, s.from, s.to);
    pull(current, PAGE);
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    var sort = params.get("sort") === "time" ? "time" : "";
    pressSort(sort);
    ["from", "to"].forEach(function (k) {
      var v = params.get(k) || "", sel = form.elements[k];
      sel.value = Array.prototype.some.call(sel.options, function (o) { return o.value === v; }) ? v : "";
    });
    var box = document.getElementById("q");
    if (box && input.value) { box.value = input.value; }
  }

  function pressSort(sort) {
    form.querySelectorAll("button[data-sort]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-sort") === sort ? "true" : "false");
    });
  }
  form.querySelectorAll("button[data-sort]").forEach(function (b) {
    b.addEventListener("click", function () { pressSort(b.getAttribute("data-sort")); start(true); });
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); start(true); });
  form.addEventListener("change", function (e) { if (e.target !== input) { start(true); } });
  moreButton.addEventListener("click", function () {
    if (current && !current.busy) { pull(current, PAGE); }
  });
  restore();
  if (input.value) { start(false); }
})();

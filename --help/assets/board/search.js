/* Community Board search: the results page's client (no libraries, ES5, no inline script).
 *
 * The index is built by hooks/community_board/search.py, whose search() mirrors this file's
 * algorithm step for step: change both together. A phone fetches search/meta.json, then
 * search/fold.json (Traditional -> Simplified and the titles' pinyin syllables; cached), the
 * postings shards holding the query's terms, and the document-table chunks of the results
 * it shows, ten at a time. Results are ranked (see search.py); a query that finds nothing
 * is checked for a one-character typo against the titles (您是不是要找). Everything the resident reads is Chinese and built with
 * textContent, never innerHTML, so a title can never inject markup.
 *
 * The page contract: <div id="search-results" data-base="../"> (data-base: the site root,
 * relative to this page). Without it (every other page) this script only fills the header's
 * search box. Without JavaScript the page's <noscript> note stands.
 */
(function () {
  'use strict';

  var PER_PAGE = 10;
  var FORMAT = 2;
  var MAX_QUERY_TERMS = 12;  // as search.py: bounds the shards a pasted paragraph fetches
  var MAX_PINYIN_LETTERS = 30;
  var MAX_INITIALS = 4;
  var WEIGHT = [2, 3, 6, 7];  // as search.py: once in the text, several times, title, both
  var CUTOFF = 4;
  var ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  // BMP CJK only, as search.py: astral characters separate terms on both sides.
  var TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z]+|[0-9]+/g;
  var CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var CJK = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var LETTERS = /^[a-z]+$/;
  var EXAMPLES = '重阳、学雷锋、星级文明家庭';

  // --- terms (mirror of search.py) --------------------------------------------------------

  // fold: {t2s: {繁: 简}, py: {syllable: true}} from search/fold.json, or null (no folding).
  function normalize(s, fold) {
    if (s.normalize) {
      s = s.normalize('NFKC');
    } else {
      // Old WebViews lack normalize(): fold at least full-width letters, digits and space.
      s = s.replace(/[\uff01-\uff5e]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
      }).replace(/\u3000/g, ' ');
    }
    s = s.toLowerCase();
    if (fold) {
      s = s.replace(/[\u3400-\u9fff\uf900-\ufaff]/g, function (c) {
        return fold.t2s.hasOwnProperty(c) ? fold.t2s[c] : c;
      });
    }
    s = s.replace(/([0-9]),(?=[0-9]{3}(?![0-9]))/g, '$1');
    return s.replace(/([0-9]+)(?:\.([0-9]+))?万/g, function (m, whole, frac) {
      frac = frac || '';
      if (whole.length > 8 || frac.length > 4) return m;
      return String(parseInt(whole + (frac + '0000').slice(0, 4), 10));  // 1.2万 -> 12000
    });
  }

  function runs(text, fold) {
    return normalize(text, fold).match(TOKEN) || [];
  }

  function segment(word, syllables) {
    var failed = {};
    function walk(i) {
      if (i === word.length) return [];
      if (failed[i]) return null;
      for (var n = Math.min(6, word.length - i); n > 0; n--) {
        var part = word.substr(i, n);
        if (syllables.hasOwnProperty(part)) {
          var rest = walk(i + n);
          if (rest !== null) return [part].concat(rest);
        }
      }
      failed[i] = true;
      return null;
    }
    return walk(0);
  }

  function pinyinQuery(letters, syllables) {
    var out = [];
    var i;
    if (letters.length < 2 || letters.length > MAX_PINYIN_LETTERS) return out;
    var syl = segment(letters, syllables);
    if (syl !== null && syl.length > 1) {
      for (i = 0; i < syl.length - 1; i++) out.push(syl[i] + syl[i + 1]);
    } else if (syl === null && letters.length <= MAX_INITIALS) {
      for (i = 0; i < letters.length - 1; i++) out.push(letters.substr(i, 2));  // xlf -> xl, lf
    }
    return out;
  }

  function queryTerms(q, fold) {
    var out = [];
    function add(t) { if (indexOf(out, t) < 0) out.push(t); }
    var rs = runs(q, fold);
    rs.push('');
    var letters = '';
    for (var r = 0; r < rs.length; r++) {
      var run = rs[r];
      if (run && LETTERS.test(run)) {
        letters += run;
        add(run);
        continue;
      }
      if (letters) {
        var py = pinyinQuery(letters, fold ? fold.py : {});
        for (var p = 0; p < py.length; p++) add(py[p]);
        letters = '';
      }
      if (!run) break;
      if (CJK.test(run) && run.length > 1) {
        for (var i = 0; i < run.length - 1; i++) add(run.substr(i, 2));
      } else {
        add(run);
      }
    }
    return out.slice(0, MAX_QUERY_TERMS);
  }

  // The query's own words, for highlighting: bigrams of CJK runs, and ASCII words.
  function markWords(q, fold) {
    var out = [];
    var rs = runs(q, fold);
    for (var r = 0; r < rs.length; r++) {
      if (CJK.test(rs[r]) && rs[r].length > 1) {
        for (var i = 0; i < rs[r].length - 1; i++) out.push(rs[r].substr(i, 2));
      } else {
        out.push(rs[r]);
      }
    }
    return out;
  }

  function indexOf(list, x) {
    for (var i = 0; i < list.length; i++) if (list[i] === x) return i;
    return -1;
  }

  // FNV-1a over UTF-16 code units; the multiply by 16777619 (2^24 + 403) is split so every
  // intermediate stays exact in a double (no Math.imul on old WebViews).
  function shardOf(term, n) {
    var h = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) {
      h = (h ^ term.charCodeAt(i)) >>> 0;
      h = (((h << 24) >>> 0) + h * 403) % 4294967296;
    }
    return h % n;
  }

  function decodePostings(s) {
    var ids = [];
    var levels = [];
    var prev = -1;
    var value = 0;
    var scale = 1;
    for (var i = 0; i < s.length; i++) {
      var d = ALPHABET.indexOf(s.charAt(i));
      if (d >= 32) {
        value += (d - 32) * scale;
        scale *= 32;
        continue;
      }
      value += d * scale;
      prev += Math.floor(value / 4);
      ids.push(prev);
      levels.push(value % 4);
      value = 0;
      scale = 1;
    }
    return { ids: ids, levels: levels };
  }

  function idf(n, df) {
    return Math.floor(1000 * Math.log(1 + (n - df + 0.5) / (df + 0.5)) + 0.5);
  }

  // By score (the sum of idf x WEIGHT[level]), then newer (smaller id); the weak tail dropped.
  function rank(n, lists) {
    var score = {};
    var ids = [];
    var best = 0;
    for (var l = 0; l < lists.length; l++) {
      var list = lists[l];
      if (!list.ids.length) continue;
      var w = idf(n, list.ids.length);
      for (var j = 0; j < list.ids.length; j++) {
        var id = list.ids[j];
        if (!score.hasOwnProperty(id)) { score[id] = 0; ids.push(id); }
        score[id] += w * WEIGHT[list.levels[j]];
      }
    }
    for (var k = 0; k < ids.length; k++) if (score[ids[k]] > best) best = score[ids[k]];
    var keep = [];
    for (k = 0; k < ids.length; k++) if (score[ids[k]] * CUTOFF >= best) keep.push(ids[k]);
    keep.sort(function (a, b) { return score[b] - score[a] || a - b; });
    return keep;
  }

  function wildKeys(missing) {
    var keys = [];
    for (var i = 0; i < missing.length; i++) {
      var b = missing[i];
      if (b.length === 2 && CJK.test(b)) {
        if (indexOf(keys, b.charAt(0) + '_') < 0) keys.push(b.charAt(0) + '_');
        if (indexOf(keys, '_' + b.charAt(1)) < 0) keys.push('_' + b.charAt(1));
      }
    }
    return keys;
  }

  // The query with one character replaced so that a missing bigram is a title's, or ''.
  function correction(q, missing, completions, fold) {
    var text = normalize(q, fold);
    var votes = {};
    var first = {};
    var cands = [];
    var m;
    CJK_RUN.lastIndex = 0;
    while ((m = CJK_RUN.exec(text)) !== null) {
      var run = m[0];
      for (var i = 0; i < run.length - 1; i++) {
        var bigram = run.substr(i, 2);
        if (indexOf(missing, bigram) < 0) continue;
        var tries = [[m.index + i + 1, bigram.charAt(0) + '_'], [m.index + i, '_' + bigram.charAt(1)]];
        for (var t = 0; t < 2; t++) {
          var chars = completions[tries[t][1]] || '';
          for (var place = 0; place < chars.length; place++) {
            var key = tries[t][0] + ':' + chars.charAt(place);
            if (!votes.hasOwnProperty(key)) {
              votes[key] = 0;
              first[key] = place;
              cands.push([tries[t][0], chars.charAt(place), key]);
            }
            votes[key] += 1;
            if (place < first[key]) first[key] = place;
          }
        }
      }
    }
    var best = null;
    for (var c = 0; c < cands.length; c++) {
      var a = cands[c];
      if (best === null || votes[a[2]] > votes[best[2]] ||
          (votes[a[2]] === votes[best[2]] && (first[a[2]] < first[best[2]] ||
          (first[a[2]] === first[best[2]] && (a[0] < best[0] || (a[0] === best[0] && a[1] < best[1])))))) {
        best = a;
      }
    }
    if (best === null) return '';
    return text.slice(0, best[0]) + best[1] + text.slice(best[0] + 1);
  }

  // --- fetching ---------------------------------------------------------------------------

  function pad(i, width) {
    var s = String(i);
    while (s.length < width) s = '0' + s;
    return s;
  }

  function getJSON(url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url, true);
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) return;
      var data = null;
      if (xhr.status === 200 || (xhr.status === 0 && xhr.responseText)) {
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      }
      done(data);
    };
    xhr.send(null);
  }

  // Fetch every path at once; call done(map path -> data) or done(null) if any failed.
  function getAll(root, version, paths, cache, done) {
    var left = 0;
    var failed = false;
    var todo = [];
    for (var i = 0; i < paths.length; i++) {
      if (!cache.hasOwnProperty(paths[i]) && indexOf(todo, paths[i]) < 0) todo.push(paths[i]);
    }
    if (!todo.length) { done(cache); return; }
    left = todo.length;
    for (var t = 0; t < todo.length; t++) {
      (function (path) {
        getJSON(root + path + '?v=' + version, function (data) {
          if (data === null) failed = true; else cache[path] = data;
          left -= 1;
          if (left === 0) done(failed ? null : cache);
        });
      })(todo[t]);
    }
  }

  // --- rendering --------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.appendChild(document.createTextNode(text));
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // Append text to node with every occurrence of the query's words in <mark> (overlapping
  // bigrams of one phrase make one mark).
  function appendMarked(node, text, words) {
    var lower = text.toLowerCase();
    var on = [];
    var i;
    if (lower.length === text.length) {
      for (var w = 0; w < words.length; w++) {
        var from = 0;
        var at;
        while (words[w] && (at = lower.indexOf(words[w], from)) >= 0) {
          for (i = at; i < at + words[w].length; i++) on[i] = true;
          from = at + 1;
        }
      }
    }
    var pos = 0;
    while (pos < text.length) {
      var end = pos;
      while (end < text.length && !!on[end] === !!on[pos]) end++;
      if (on[pos]) node.appendChild(el('mark', '', text.slice(pos, end)));
      else node.appendChild(document.createTextNode(text.slice(pos, end)));
      pos = end;
    }
  }

  function friendlyDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return '';
    return m[1] + '年' + parseInt(m[2], 10) + '月' + parseInt(m[3], 10) + '日';
  }

  function link(root, url, text) {
    var a = el('a', '', text);
    a.href = root + url;
    return a;
  }

  function message(box, root, lines, withLinks) {
    clear(box);
    var status = el('p', 'cb-search__status', lines[0]);
    status.setAttribute('role', 'status');
    box.appendChild(status);
    for (var i = 1; i < lines.length; i++) box.appendChild(el('p', 'cb-search__hint', lines[i]));
    if (withLinks) {
      var p = el('p', 'cb-search__hint', '也可以直接看看：');
      p.appendChild(link(root, 'activities/', '全部活动'));
      p.appendChild(document.createTextNode('、'));
      p.appendChild(link(root, 'honors/', '光荣榜'));
      p.appendChild(document.createTextNode('、'));
      p.appendChild(link(root, 'notices/', '通知公告'));
      box.appendChild(p);
    }
  }

  function renderItem(root, meta, row, words) {
    var li = el('li', 'cb-search__item');
    var a = el('a', 'cb-search__link');
    a.href = root + row[0];
    appendMarked(a, row[1], words);
    li.appendChild(a);
    var about = meta.kinds[row[2]] || '';
    var date = friendlyDate(row[3]);
    li.appendChild(el('p', 'cb-search__meta', date ? about + ' · ' + date : about));
    if (row[4]) {
      var ex = el('p', 'cb-search__excerpt');
      appendMarked(ex, row[4], words);
      li.appendChild(ex);
    }
    return li;
  }

  // --- the page ---------------------------------------------------------------------------

  function readQuery() {
    var pairs = window.location.search.replace(/^\?/, '').split('&');
    for (var i = 0; i < pairs.length; i++) {
      var kv = pairs[i].split('=');
      if (kv[0] === 'q' && kv.length > 1) {
        try {
          return decodeURIComponent(kv.slice(1).join('=').replace(/\+/g, ' '));
        } catch (e) {
          return '';
        }
      }
    }
    return '';
  }

  function fillInputs(q) {
    var inputs = document.querySelectorAll('input[name="q"]');
    for (var i = 0; i < inputs.length; i++) if (!inputs[i].value) inputs[i].value = q;
  }

  function shardPaths(meta, terms) {
    var paths = [];
    for (var i = 0; i < terms.length; i++) {
      paths.push('search/t/' + pad(shardOf(terms[i], meta.shards), meta.shard_width) + '.json');
    }
    return paths;
  }

  // Postings of each term (fetching the shards it needs), then done(ids, missing terms).
  function ranked(root, meta, cache, terms, done) {
    var paths = shardPaths(meta, terms);
    getAll(root, meta.v, paths, cache, function (got) {
      if (!got) { done(null); return; }
      var lists = [];
      var missing = [];
      for (var t = 0; t < terms.length; t++) {
        var s = got[paths[t]][terms[t]];
        if (s === undefined) { missing.push(terms[t]); s = ''; }
        lists.push(decodePostings(s));
      }
      done(rank(meta.docs, lists), missing);
    });
  }

  // As search.py's search(): the ranked ids, or for a query that finds nothing, the ids of
  // the query with a one-character typo corrected; done(ids, suggestion) or done(null).
  function find(root, meta, fold, cache, q, done) {
    var terms = queryTerms(q, fold);
    ranked(root, meta, cache, terms, function (ids, missing) {
      if (ids === null || ids.length) { done(ids, ''); return; }
      var keys = wildKeys(missing);
      if (!keys.length) { done([], ''); return; }
      var paths = shardPaths(meta, keys);
      getAll(root, meta.v, paths, cache, function (got) {
        if (!got) { done(null); return; }
        var completions = {};
        for (var k = 0; k < keys.length; k++) {
          if (got[paths[k]].hasOwnProperty(keys[k])) completions[keys[k]] = got[paths[k]][keys[k]];
        }
        var fixed = correction(q, missing, completions, fold);
        if (!fixed) { done([], ''); return; }
        ranked(root, meta, cache, queryTerms(fixed, fold), function (fixedIds) {
          done(fixedIds, fixedIds === null ? '' : fixed);
        });
      });
    });
  }

  function readFold(data) {
    var t2s = {};
    var py = {};
    var pairs = data.t2s || '';
    for (var i = 0; i + 1 < pairs.length; i += 2) t2s[pairs.charAt(i)] = pairs.charAt(i + 1);
    var syl = (data.py || '').split(' ');
    for (var j = 0; j < syl.length; j++) if (syl[j]) py[syl[j]] = true;
    return { t2s: t2s, py: py };
  }

  function searchLink(text) {
    var a = el('a', 'cb-search__suggestion', text);
    a.href = '?q=' + encodeURIComponent(text);
    return a;
  }

  function search(box, root, q) {
    if (!runs(q, null).length) {
      message(box, root, ['请在搜索框里输入要找的字词，例如：' + EXAMPLES + '。'], true);
      return;
    }
    var failure = ['搜索暂时用不了，请检查网络后刷新本页再试。'];
    message(box, root, ['正在搜索「' + q + '」……'], false);
    getJSON(root + 'search/meta.json?t=' + new Date().getTime(), function (meta) {
      if (!meta || meta.fmt !== FORMAT) { message(box, root, failure, true); return; }
      var cache = {};
      getAll(root, meta.v, ['search/fold.json'], cache, function (got) {
        if (!got) { message(box, root, failure, true); return; }
        var fold = readFold(got['search/fold.json']);
        find(root, meta, fold, cache, q, function (ids, suggestion) {
          if (ids === null) { message(box, root, failure, true); return; }
          if (!ids.length) {
            message(box, root, ['没有找到与「' + q + '」有关的内容。',
              '可以换一个短一点的词再试，例如：' + EXAMPLES + '。'], true);
            return;
          }
          show(box, root, meta, cache, q, suggestion, ids, markWords(suggestion || q, fold), failure);
        });
      });
    });
  }

  function show(box, root, meta, cache, q, suggestion, ids, words, failure) {
    // Count and first page appear together: never a count above an empty list.
    var list = el('ol', 'cb-search__list');
    var more = el('button', 'cb-search__more');
    more.type = 'button';
    var shown = 0;
    function page() {
      var slice = ids.slice(shown, shown + PER_PAGE);
      var chunks = [];
      for (var k = 0; k < slice.length; k++) {
        chunks.push('search/d/' + pad(Math.floor(slice[k] / meta.chunk), meta.chunk_width) + '.json');
      }
      more.disabled = true;
      getAll(root, meta.v, chunks, cache, function (rows) {
        more.disabled = false;
        if (!rows) {
          if (shown) box.appendChild(el('p', 'cb-search__hint', failure[0]));
          else message(box, root, failure, true);
          return;
        }
        if (!shown) {
          clear(box);
          var count = el('p', 'cb-search__status', suggestion ?
            '没有找到与「' + q + '」有关的内容，下面是「' + suggestion + '」的 ' + ids.length + ' 条结果' :
            '找到 ' + ids.length + ' 条与「' + q + '」有关的内容');
          count.setAttribute('role', 'status');
          box.appendChild(count);
          if (suggestion) {
            var hint = el('p', 'cb-search__hint', '您是不是要找：');
            hint.appendChild(searchLink(suggestion));
            box.appendChild(hint);
          }
          box.appendChild(list);
        }
        for (var n = 0; n < slice.length; n++) {
          list.appendChild(renderItem(root, meta, rows[chunks[n]][slice[n] % meta.chunk], words));
        }
        shown += slice.length;
        if (shown < ids.length) {
          clear(more);
          more.appendChild(document.createTextNode('再显示 ' + Math.min(PER_PAGE, ids.length - shown) +
            ' 条（还有 ' + (ids.length - shown) + ' 条）'));
          if (!more.parentNode) box.appendChild(more);
        } else if (more.parentNode) {
          more.parentNode.removeChild(more);
        }
      });
    }
    more.onclick = page;
    page();
  }

  function start() {
    var q = readQuery();
    fillInputs(q);
    var box = document.getElementById('search-results');
    if (!box) return;
    var root = box.getAttribute('data-base') || './';
    if (root.charAt(root.length - 1) !== '/') root += '/';
    search(box, root, q.replace(/^\s+|\s+$/g, ''));
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();

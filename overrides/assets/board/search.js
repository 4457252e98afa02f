/* Community Board search: the results page's client (no libraries, ES5, no inline script).
 *
 * The index is built by hooks/community_board/search.py, whose query() mirrors this file's
 * algorithm step for step: change both together. A phone fetches search/meta.json, then the
 * postings shards holding the query's terms, then the document-table chunks of the results
 * it shows, ten at a time. Everything the resident reads is Chinese and built with
 * textContent, never innerHTML, so a title can never inject markup.
 *
 * The page contract: <div id="search-results" data-base="../"> (data-base: the site root,
 * relative to this page). Without it (every other page) this script only fills the header's
 * search box. Without JavaScript the page's <noscript> note stands.
 */
(function () {
  'use strict';

  var PER_PAGE = 10;
  var MAX_QUERY_TERMS = 12;  // as search.py: bounds the shards a pasted paragraph fetches
  var ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  // BMP CJK only, as search.py: astral characters separate terms on both sides.
  var TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z]+|[0-9]+/g;
  var CJK = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var EXAMPLES = '重阳、学雷锋、星级文明家庭';

  // --- terms (mirror of search.py) --------------------------------------------------------

  function normalize(s) {
    if (s.normalize) {
      s = s.normalize('NFKC');
    } else {
      // Old WebViews lack normalize(): fold at least full-width letters, digits and space.
      s = s.replace(/[\uff01-\uff5e]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
      }).replace(/\u3000/g, ' ');
    }
    return s.toLowerCase();
  }

  function runs(text) {
    return normalize(text).match(TOKEN) || [];
  }

  function queryTerms(q) {
    var out = [];
    var rs = runs(q);
    for (var r = 0; r < rs.length; r++) {
      var run = rs[r];
      var parts = [];
      if (CJK.test(run) && run.length > 1) {
        for (var i = 0; i < run.length - 1; i++) parts.push(run.substr(i, 2));
      } else {
        parts.push(run);
      }
      for (var p = 0; p < parts.length; p++) {
        if (indexOf(out, parts[p]) < 0) out.push(parts[p]);
      }
    }
    return out.slice(0, MAX_QUERY_TERMS);
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
    var titles = [];
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
      prev += Math.floor(value / 2);
      ids.push(prev);
      titles.push(value % 2 === 1);
      value = 0;
      scale = 1;
    }
    return { ids: ids, titles: titles };
  }

  // AND of every term; a doc whose title holds every term comes first; then newer (smaller id).
  function rank(lists) {
    if (!lists.length) return [];
    var shortest = lists[0];
    for (var i = 1; i < lists.length; i++) {
      if (lists[i].ids.length < shortest.ids.length) shortest = lists[i];
    }
    var title = {};
    var keep = shortest.ids.slice();
    for (var k = 0; k < keep.length; k++) title[keep[k]] = shortest.titles[k];
    for (var l = 0; l < lists.length; l++) {
      var here = {};
      for (var j = 0; j < lists[l].ids.length; j++) here[lists[l].ids[j]] = lists[l].titles[j];
      var next = [];
      for (k = 0; k < keep.length; k++) {
        if (here.hasOwnProperty(keep[k])) {
          next.push(keep[k]);
          title[keep[k]] = title[keep[k]] && here[keep[k]];
        }
      }
      keep = next;
    }
    keep.sort(function (a, b) {
      if (title[a] !== title[b]) return title[a] ? -1 : 1;
      return a - b;
    });
    return keep;
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

  // Append text to node with every occurrence of the query's words in <mark>.
  function appendMarked(node, text, words) {
    var lower = text.toLowerCase();
    var marks = [];
    if (lower.length === text.length) {
      for (var w = 0; w < words.length; w++) {
        var from = 0;
        var at;
        while (words[w] && (at = lower.indexOf(words[w], from)) >= 0) {
          marks.push([at, at + words[w].length]);
          from = at + words[w].length;
        }
      }
    }
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    for (var m = 0; m < marks.length; m++) {
      if (marks[m][0] < pos) continue;
      if (marks[m][0] > pos) node.appendChild(document.createTextNode(text.slice(pos, marks[m][0])));
      node.appendChild(el('mark', '', text.slice(marks[m][0], marks[m][1])));
      pos = marks[m][1];
    }
    if (pos < text.length) node.appendChild(document.createTextNode(text.slice(pos)));
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

  function search(box, root, q) {
    var terms = queryTerms(q);
    if (!terms.length) {
      message(box, root, ['请在搜索框里输入要找的字词，例如：' + EXAMPLES + '。'], true);
      return;
    }
    var words = runs(q);
    var failure = ['搜索暂时用不了，请检查网络后刷新本页再试。'];
    message(box, root, ['正在搜索「' + q + '」……'], false);
    getJSON(root + 'search/meta.json?t=' + new Date().getTime(), function (meta) {
      if (!meta || meta.fmt !== 1) { message(box, root, failure, true); return; }
      var cache = {};
      var paths = [];
      for (var i = 0; i < terms.length; i++) {
        paths.push('search/t/' + pad(shardOf(terms[i], meta.shards), meta.shard_width) + '.json');
      }
      getAll(root, meta.v, paths, cache, function (got) {
        if (!got) { message(box, root, failure, true); return; }
        var lists = [];
        for (var t = 0; t < terms.length; t++) {
          var s = got[paths[t]][terms[t]];
          if (s === undefined) { lists = null; break; }
          lists.push(decodePostings(s));
        }
        var ids = lists ? rank(lists) : [];
        if (!ids.length) {
          message(box, root, ['没有找到与「' + q + '」有关的内容。',
            '可以换一个短一点的词再试，例如：' + EXAMPLES + '。'], true);
          return;
        }
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
              var count = el('p', 'cb-search__status', '找到 ' + ids.length + ' 条与「' + q + '」有关的内容');
              count.setAttribute('role', 'status');
              box.appendChild(count);
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
      });
    });
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

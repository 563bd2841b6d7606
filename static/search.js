// Full-text search of the archive, entirely in the browser.
//
// The same tokens and the same ranking as the command line
// (quzhou_archive/segment.py and rank.py): a query is folded like the text
// (Traditional -> Simplified, full-width -> half-width, lower case), each
// clause must occur contiguously (character bigrams with positions), and
// documents that hold every clause exactly come before documents that only
// hold its words. Only the index shards of the query's terms are fetched.
//
//   import { search } from "./search.js";
//   const results = await search("规上工业增加值", { limit: 10 });
//   // [{ id, url, title, score, snippet, marks, date, counties, tier }]

const SITE = new URL("../", import.meta.url);
const INDEX = new URL("search/", SITE);

// The meta.json format this file reads (browser_index.FORMAT_VERSION). The
// ranking's numbers are in it ("ranking", from rank.constants()), not here.
export const INDEX_FORMAT = 3;
const FILTER_KEYS = {
  county: "county", 县: "county", 县区: "county", 地区: "county",
  topic: "topic", 主题: "topic",
  year: "year", 年: "year", 年份: "year",
  date: "date", 日期: "date",
  paper: "paper", 报纸: "paper",
  kind: "kind", 体裁: "kind",
};
const QUOTES = "\"“”「」『』";
const TOKEN = new RegExp(`(-?)(?:[${QUOTES}]([^${QUOTES}]*)[${QUOTES}]?|(\\S+))`, "gu");
const CONTENT = /[0-9a-z\u3400-\u9fff\uf900-\ufaff]/u;

let state = null;

// -- loading -------------------------------------------------------------------

async function fetchBytes(path) {
  const response = await fetch(new URL(path, INDEX));
  if (!response.ok) {
    if (response.status === 404) return null;
    throw new Error(`search index: ${path}: HTTP ${response.status}`);
  }
  const data = new Uint8Array(await response.arrayBuffer());
  if (data[0] !== 0x1f || data[1] !== 0x8b) return data; // a host already inflated it
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function load() {
  if (!state) {
    state = (async () => {
      const response = await fetch(new URL("meta.json", INDEX), { cache: "no-cache" });
      if (!response.ok) throw new Error(`search index: meta.json: HTTP ${response.status}`);
      const meta = await response.json();
      if (meta.format !== INDEX_FORMAT) throw new Error(`search index: format ${meta.format}, this page reads ${INDEX_FORMAT}: reload the page`);
      const v = `?v=${meta.build}`;
      const [table, idBytes, foldBytes] = await Promise.all(
        [fetchBytes(`docs.bin${v}`), fetchBytes(`ids.bin${v}`), fetchBytes(`fold.bin${v}`)]);
      const foldTable = new Map();
      if (foldBytes) {
        const pairs = Array.from(new TextDecoder().decode(foldBytes));
        for (let i = 0; i + 1 < pairs.length; i += 2) foldTable.set(pairs[i], pairs[i + 1]);
      }
      return { meta, v, docs: readDocTable(table, meta), ids: readIds(idBytes), foldTable, shards: new Map(), records: new Map(), texts: new Map() };
    })();
    state.catch(() => { state = null; });
  }
  return state;
}

class Reader {
  constructor(bytes, offset = 0) { this.b = bytes; this.i = offset; }
  varint() {
    let n = 0, shift = 0, byte;
    do { byte = this.b[this.i++]; n += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return n;
  }
  text(length) { const s = new TextDecoder().decode(this.b.subarray(this.i, this.i + length)); this.i += length; return s; }
}

function readDocTable(bytes, meta) {
  const r = new Reader(bytes);
  const count = r.varint();
  const docs = new Array(count);
  for (let n = 0; n < count; n++) {
    const headline = r.varint(), body = r.varint(), date = r.varint(), paper = r.varint(), kind = r.varint();
    const topics = r.varint();
    const counties = [];
    for (let k = r.varint(); k > 0; k--) counties.push(r.varint());
    // kind 0: the number of a removed article (browser_index.doc_table)
    docs[n] = kind ? { headline, body, date, paper, kind: kind - 1, topics, counties } : null;
  }
  return docs;
}

function readIds(bytes) {
  const r = new Reader(bytes);
  const count = r.varint();
  const ids = new Array(count);
  let previous = new Uint8Array(0);
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    const shared = r.varint(), rest = r.varint();
    const current = new Uint8Array(shared + rest);
    current.set(previous.subarray(0, shared));
    current.set(bytes.subarray(r.i, r.i + rest), shared);
    r.i += rest;
    ids[n] = decoder.decode(current);
    previous = current;
  }
  return ids;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

// CRC-32 of the term's UTF-8 bytes: the shard a term lives in (search_export.term_hash)
function termHash(text) {
  let c = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// The terms of one shard file: "s/K.bin" (main) or "d/K.bin" (the delta).
async function shard(s, path) {
  if (!s.shards.has(path)) {
    const p = fetchBytes(`${path}${s.v}`).then((bytes) => {
      const terms = new Map();
      if (!bytes) return terms;
      const r = new Reader(bytes);
      for (let count = r.varint(); count > 0; count--) {
        const term = r.text(r.varint());
        const length = r.varint();
        terms.set(term, [bytes, r.i, length]);
        r.i += length;
      }
      return terms;
    });
    s.shards.set(path, p);
    p.catch(() => s.shards.delete(path));
  }
  return s.shards.get(path);
}

// A term's postings and (bigrams) word list: from its main shard and, when
// the index has a delta, its delta shard, whose documents are numbered after
// the main shards' (browser_index: "search/d/K.bin"). Postings of a removed
// article's number are passed over, so counts are as a build from nothing
// gives them. The word list is the delta's where the delta has the term
// (the main record's may be older), else the main record's.
async function record(s, term) {
  if (!s.records.has(term)) {
    const hash = termHash(term);
    const places = [`s/${hash % s.meta.shards}.bin`];
    if (s.meta.delta) places.push(`d/${hash % s.meta.delta}.bin`);
    const found = await Promise.all(places.map(async (path) => (await shard(s, path)).get(term)));
    const entries = found.filter(Boolean);
    s.records.set(term, entries.length ? decodeRecords(s, term, entries) : null);
  }
  return s.records.get(term);
}

function decodeRecords(s, term, entries) {
  const postings = new Map();
  let words = null;
  for (const [bytes, offset] of entries) {
    words = decodeRecord(s, term, bytes, offset, postings);     // the delta's, read last, stands
  }
  return { postings, words };
}

function decodeRecord(s, term, bytes, offset, postings) {
  const r = new Reader(bytes, offset);
  const bigram = term[0] === "b";
  let block = -1;
  for (let blocks = r.varint(); blocks > 0; blocks--) {
    block += r.varint() + 1;
    const length = r.varint();
    const end = r.i + length;
    const df = r.varint();
    const docs = new Array(df);
    let doc = block * s.meta.block;
    for (let k = 0; k < df; k++) { doc += r.b[r.i++]; docs[k] = doc; }
    const counts = new Array(df);
    for (let k = 0; k < df; k++) {
      const code = r.varint();
      counts[k] = [code % 2 ? r.varint() : 0, Math.floor(code / 2)];
    }
    for (let k = 0; k < df; k++) {
      const [headline, body] = counts[k];
      const live = s.docs[docs[k]] !== null;
      if (!bigram) { if (live) postings.set(docs[k], { headline, body }); continue; }
      const fields = {};
      for (const [name, count] of [["headline", headline], ["body", body]]) {
        const positions = new Array(count);
        let p = 0;
        for (let i = 0; i < count; i++) { p += r.varint(); positions[i] = p; }
        fields[name] = positions;
      }
      if (live) postings.set(docs[k], fields);
    }
    r.i = end;
  }
  const words = [];
  if (bigram) {
    for (let count = r.varint(); count > 0; count--) {
      const word = r.text(r.varint());
      words.push([word, r.varint()]);
    }
  }
  return words;
}

// -- text ----------------------------------------------------------------------

export function foldChar(ch, table) {
  let code = ch.codePointAt(0);
  if (code >= 0xff01 && code <= 0xff5e) ch = String.fromCodePoint(code - 0xfee0);
  else if (code === 0x3000) ch = " ";
  else if (table && table.has(ch)) ch = table.get(ch);
  const lower = ch.toLowerCase();
  return Array.from(lower).length === 1 ? lower : ch;
}

function foldChars(text, table) {
  return Array.from(text, (ch) => foldChar(ch, table));
}

function stream(text, table) {
  return foldChars(text, table).filter((ch) => !/\s/u.test(ch));
}

// -- the query (rank.parse_query) ----------------------------------------------

// `maxChars` counts code points, as Python's len() does.
export function parseQuery(text, table, maxChars) {
  const query = { clauses: [], exclude: [], filters: {}, truncated: false };
  const chars = Array.from(text);
  if (chars.length > maxChars) { text = chars.slice(0, maxChars).join(""); query.truncated = true; }
  for (const m of text.matchAll(TOKEN)) {
    const negative = m[1], quoted = m[2], bare = m[3];
    const raw = quoted !== undefined ? quoted : bare;
    if (quoted === undefined && !negative) {
      const at = raw.includes(":") ? raw.indexOf(":") : raw.indexOf("：");
      if (at > 0) {
        const key = raw.slice(0, at).toLowerCase(), value = raw.slice(at + 1);
        if (key in FILTER_KEYS && value) { query.filters[FILTER_KEYS[key]] = value; continue; }
      }
    }
    const clause = stream(raw, table);
    if (!clause.length || !CONTENT.test(clause.join(""))) continue;
    (negative ? query.exclude : query.clauses).push(clause);
  }
  return query;
}

// -- ranking (rank.py) ---------------------------------------------------------
//
// `ranking` is meta.json's "ranking": { k1, fields, weight, b, tier2_factor,
// score_scale, char_cost, max_query_chars }. These functions are pure, so
// tests/search/ranking_cases.mjs runs them against rank.py's answers.

const idf = (df, n) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
const saturate = (x, k1) => (x * (k1 + 1)) / (x + k1);
export const quantize = (ranking, score) => Math.floor(score * ranking.score_scale + 0.5);

export function clauseScore(ranking, tf, lengths, averages, df, n) {
  const { b, weight } = ranking;
  let total = 0;
  for (const name of ranking.fields) {
    const count = tf[name] || 0;
    if (count) {
      const norm = 1 - b[name] + (b[name] * lengths[name]) / (averages[name] || 1);
      total += (weight[name] * count) / norm;
    }
  }
  return idf(df, n) * saturate(total, ranking.k1);
}

// Python orders str by code point, JavaScript by UTF-16 unit; the two differ
// only where a surrogate meets a unit of U+E000..U+FFFF, so move those apart.
const unitInCodePointOrder = (u) => (u >= 0xd800 && u <= 0xdfff ? u + 0x2000 : u >= 0xe000 ? u - 0x800 : u);

export function compareCodePoints(a, b) {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x !== y) return unitInCodePointOrder(x) - unitInCodePointOrder(y);
  }
  return a.length - b.length;
}

// rank.sort_key: exact before words-only, higher score, newer, then the
// article ID. Entries are { tier, q (quantized score), date (key), id }.
export const compareResults = (a, b) =>
  a.tier - b.tier || b.q - a.q || b.date - a.date || compareCodePoints(a.id, b.id);

// rank.date_order_key: by date, then the article ID; undated articles last
// either way. Entries are { date (key), id }.
export const compareByDate = (newest) => (a, b) =>
  newest
    ? b.date - a.date || compareCodePoints(a.id, b.id)
    : (a.date === 0) - (b.date === 0) || a.date - b.date || compareCodePoints(a.id, b.id);

export function splitWords(clause, candidates, charCost) {
  const n = clause.length;
  const best = new Array(n + 1).fill(null).map(() => [0, n]);
  for (let i = n - 1; i >= 0; i--) {
    let choice = [charCost + best[i + 1][0], i + 1];
    for (const [word, cost] of candidates.get(i) || []) {
      const j = i + word.length;
      const total = cost + best[j][0];
      if (total < choice[0] || (total === choice[0] && j > choice[1])) choice = [total, j];
    }
    best[i] = choice;
  }
  const out = [];
  for (let i = 0; i < n; i = best[i][1]) out.push(clause.slice(i, best[i][1]));
  return out;
}

export function tier2Words(split) {
  if (split.length < 2 || split.every((w) => w.length < 2)) return [];
  return split;
}

async function occurrences(s, clause) {
  const fields = s.meta.ranking.fields;
  const found = new Map();
  if (clause.length === 1) {
    const rec = await record(s, "c" + clause[0]);
    if (rec) for (const [doc, tf] of rec.postings) found.set(doc, { ...tf });
    for (const [doc, tf] of found) for (const name of fields) if (!tf[name]) delete tf[name];
    return found;
  }
  const grams = [];
  for (let i = 0; i + 1 < clause.length; i++) grams.push("b" + clause[i] + clause[i + 1]);
  const records = await Promise.all(grams.map((g) => record(s, g)));
  if (records.some((r) => !r)) return found;
  const [first, ...rest] = records;
  for (const [doc, positions] of first.postings) {
    if (!rest.every((r) => r.postings.has(doc))) continue;
    for (const name of fields) {
      const follow = rest.map((r) => new Set(r.postings.get(doc)[name]));
      let count = 0;
      for (const start of positions[name]) if (follow.every((set, i) => set.has(start + i + 1))) count++;
      if (count) {
        if (!found.has(doc)) found.set(doc, {});
        found.get(doc)[name] = count;
      }
    }
  }
  return found;
}

async function split(s, clause) {
  const candidates = new Map();
  for (let i = 0; i + 1 < clause.length; i++) {
    const rec = await record(s, "b" + clause[i] + clause[i + 1]);
    if (!rec) continue;
    for (const [word, cost] of rec.words) {
      const chars = Array.from(word);
      if (chars.length <= clause.length - i && chars.every((ch, k) => ch === clause[i + k])) {
        if (!candidates.has(i)) candidates.set(i, []);
        candidates.get(i).push([chars, cost]);
      }
    }
  }
  return splitWords(clause, candidates, s.meta.ranking.char_cost);
}

// -- filters (rank.resolve_filters) --------------------------------------------

export function dateBound(text, low) {
  const parts = text.trim().split("-");
  if (!/^\d{4}$/.test(parts[0]) || parts.length > 3 || !parts.every((p) => /^\d+$/.test(p))) throw new Error(text);
  const year = +parts[0];
  const month = parts.length > 1 ? +parts[1] : low ? 0 : 99;
  const day = parts.length > 2 ? +parts[2] : low ? 0 : 99;
  return year * 10000 + month * 100 + day;
}

export function dateRange(value) {
  const at = value.indexOf("..");
  const low = at < 0 ? value : value.slice(0, at);
  const high = at < 0 ? value : value.slice(at + 2);
  return [low.trim() ? dateBound(low, true) : 0, high.trim() ? dateBound(high, false) : 99999999];
}

function resolveFilters(filters, options, table) {
  const resolved = {};
  const f = (text) => stream(text, table).join("");
  for (const [key, value] of Object.entries(filters)) {
    const folded = f(value);
    let match = null;
    if (key === "county" || key === "paper") {
      const names = options[key === "county" ? "counties" : "papers"] || [];
      match = names.find((n) => f(n) === folded) ||
        names.find((n) => folded.length >= 2 && f(n).startsWith(folded)) || null;
    } else if (key === "topic") {
      const hit = (options.topics || []).find(([name, slug]) => folded === f(name) || folded === slug);
      match = hit ? hit[0] : null;
    } else if (key === "kind") {
      match = (options.kinds || []).includes(value) ? value : null;
    } else {
      try { dateRange(value.trim()); } catch { return null; }
      match = value.trim();
      if (key === "year" && !/^\d{4}$/.test(match)) return null;
    }
    if (match === null) return null;
    resolved[key] = match;
  }
  return resolved;
}

function passes(doc, filters, options) {
  for (const [key, value] of Object.entries(filters)) {
    if (key === "county" && !doc.counties.some((i) => options.counties[i] === value)) return false;
    if (key === "topic") {
      const index = options.topics.findIndex(([name]) => name === value);
      if (index < 0 || !(Math.floor(doc.topics / 2 ** index) % 2)) return false;
    }
    if (key === "paper" && options.papers[doc.paper - 1] !== value) return false;
    if (key === "kind" && options.kinds[doc.kind] !== value) return false;
    if (key === "year" || key === "date") {
      const [low, high] = dateRange(value);
      if (doc.date < low || doc.date > high) return false;
    }
  }
  return true;
}

// -- search --------------------------------------------------------------------

// 20241130 -> "2024-11-30", 20240200 -> "2024-02", 20240000 -> "2024", 0 -> null (rank.date_key)
function displayDate(key) {
  if (!key) return null;
  const y = Math.floor(key / 10000), m = Math.floor(key / 100) % 100, d = key % 100;
  const pad = (n) => String(n).padStart(2, "0");
  return m ? (d ? `${y}-${pad(m)}-${pad(d)}` : `${y}-${pad(m)}`) : String(y);
}

const articleUrl = (s, id) => new URL(s.meta.article_url.replace("{id}", id), SITE).href;

const BLOCKS = "p, h2, h3, blockquote, li, figcaption";

// The text blocks of an article, each once: a paragraph inside a block
// quote (an 编者按) or a list item is part of its outer block's text.
function outermostBlocks(article) {
  return Array.from(article.querySelectorAll("[data-text]")).flatMap((part) =>
    Array.from(part.querySelectorAll(BLOCKS)).filter((b) => {
      const outer = b.parentElement.closest(BLOCKS);
      return !outer || !part.contains(outer);
    }));
}

// The article's own page gives a result its headline and the text its
// snippet is cut from: headline parts, then the body's blocks.
async function text(s, docnum) {
  if (!s.texts.has(docnum)) {
    const id = s.ids[docnum];
    const p = fetch(articleUrl(s, id)).then(async (response) => {
      const page = new DOMParser().parseFromString(response.ok ? await response.text() : "", "text/html");
      const article = page.querySelector("article[data-id]");
      const pick = (selector) => article?.querySelector(selector)?.textContent.trim() || null;
      const printedPage = pick("header .meta")?.match(/第(\d+)版/);
      return {
        id, title: pick("h1") || id, subtitle: pick(".subtitle"), kicker: pick(".kicker"),
        page: printedPage ? Number(printedPage[1]) : null,
        body: article ? outermostBlocks(article).map((b) => b.textContent.trim()).filter(Boolean).join(" ") : "",
      };
    });
    s.texts.set(docnum, p);
    p.catch(() => s.texts.delete(docnum));
  }
  return s.texts.get(docnum);
}

// A window of the text holding as many of the terms as can be seen
// together, and the [start, end) code point ranges in it to highlight
// (cli.snippet chooses the same way).
export function snippet(body, terms, table, width = 90) {
  const chars = Array.from(body.replace(/\s+/gu, " "));
  const folded = chars.map((ch) => foldChar(ch, table));
  const hits = [];
  terms.forEach((term, kind) => {
    for (let i = 0; i + term.length <= folded.length; i++) {
      if (term.every((ch, k) => folded[i + k] === ch)) hits.push([i, i + term.length, kind]);
    }
  });
  hits.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const start = windowStart(hits, chars.length, width);
  const end = Math.min(chars.length, start + width);
  const shift = start > 0 ? 1 : 0; // the leading "…"
  const marks = [];
  for (const [a, b] of hits) {
    if (a < start || a >= end) continue;
    const from = a - start + shift, to = Math.min(b, end) - start + shift;
    const last = marks[marks.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else marks.push([from, to]);
  }
  const text = (start > 0 ? "…" : "") + chars.slice(start, end).join("") + (end < chars.length ? "…" : "");
  return { text, marks };
}

// cli.window_start: the window of `width` holding the most different terms
// (hits are [start, end, term] sorted by start), the earliest of equals,
// with some of the text before its first hit when there is room.
export function windowStart(hits, length, width) {
  let best = 0, bestCount = 0, bestEnd = 0;
  for (let i = 0; i < hits.length; i++) {
    const first = hits[i][0];
    const seen = new Set();
    let lastEnd = first;
    for (let j = i; j < hits.length; j++) {
      const [a, b, kind] = hits[j];
      if (b > first + width) { if (a >= first + width) break; continue; }
      seen.add(kind);
      lastEnd = Math.max(lastEnd, b);
    }
    if (seen.size > bestCount) [best, bestCount, bestEnd] = [first, seen.size, lastEnd];
  }
  if (!bestCount) return 0;
  const lead = Math.min(Math.floor(width / 3), width - (bestEnd - best));
  return Math.max(0, Math.min(best - lead, length - width));
}

// Every matching document, best first: [{ doc, tier, score }], without
// fetching any document's text. (`doc` is the document number in the index.)
async function rankAll(s, query, filters) {
  const options = s.meta.filters;
  const ranking = s.meta.ranking;
  const n = s.meta.docs;
  const averages = s.meta.average;
  const exact = await Promise.all(query.clauses.map((c) => occurrences(s, c)));
  const words = [];
  for (const clause of query.clauses) words.push(tier2Words(await split(s, clause)));
  const wordHits = new Map();
  for (const ws of words) for (const w of ws) if (!wordHits.has(w.join(""))) wordHits.set(w.join(""), await occurrences(s, w));
  const excluded = new Set();
  for (const clause of query.exclude) for (const doc of (await occurrences(s, clause)).keys()) excluded.add(doc);
  const candidates = new Set(exact[0].keys());
  if (words[0].length) {
    const sets = words[0].map((w) => wordHits.get(w.join("")));
    for (const doc of sets[0].keys()) if (sets.every((m) => m.has(doc))) candidates.add(doc);
  }
  const scored = [];
  for (const doc of candidates) {
    const meta = s.docs[doc];
    if (!meta || excluded.has(doc) || !passes(meta, filters, options)) continue;
    const lengths = { headline: meta.headline, body: meta.body };
    let tier = 1, score = 0, ok = true;
    for (let c = 0; c < query.clauses.length; c++) {
      const hits = exact[c];
      if (hits.has(doc)) {
        score += clauseScore(ranking, hits.get(doc), lengths, averages, hits.size, n);
      } else if (words[c].length && words[c].every((w) => wordHits.get(w.join("")).has(doc))) {
        tier = 2;
        let part = 0;
        for (const w of words[c]) {
          const wh = wordHits.get(w.join(""));
          part += clauseScore(ranking, wh.get(doc), lengths, averages, wh.size, n);
        }
        score += ranking.tier2_factor * part;
      } else { ok = false; break; }
    }
    if (ok) scored.push({ doc, id: s.ids[doc], tier, score, q: quantize(ranking, score), date: meta.date });
  }
  scored.sort(compareResults);
  const terms = query.clauses.concat(words.flat().filter((w) => w.length > 1));
  return { scored, terms };
}

// Every article the filters select, newest first: there is nothing else
// to rank by (Searcher._browse).
async function browseAll(s, query, filters) {
  const excluded = new Set();
  for (const clause of query.exclude) for (const doc of (await occurrences(s, clause)).keys()) excluded.add(doc);
  const scored = [];
  s.docs.forEach((meta, doc) => {
    if (meta && !excluded.has(doc) && passes(meta, filters, s.meta.filters)) {
      scored.push({ doc, id: s.ids[doc], tier: 1, score: 0, q: 0, date: meta.date });
    }
  });
  scored.sort(compareByDate(true));
  return { scored, terms: [] };
}

// Everything a results page needs: the ranked page of results, how many
// matched in all, and a message for the reader when there is nothing to show.
//
// `sort` is "relevance" (rank.sort_key), "newest" or "oldest"
// (rank.date_order_key). A query of filters alone lists every article they
// select, newest first unless told otherwise (Searcher._browse).
export async function searchDetailed(queryText, { limit = 10, offset = 0, filters = {}, sort = "relevance" } = {}) {
  const s = await load();
  const maxQueryChars = s.meta.ranking.max_query_chars;
  const query = parseQuery(String(queryText || ""), s.foldTable, maxQueryChars);
  const wanted = { ...query.filters, ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) };
  const base = { results: [], total: 0, truncated: query.truncated, maxQueryChars, query };
  const browsing = !query.clauses.length;
  if (browsing && !Object.keys(wanted).length) {
    const message = String(queryText || "").trim() ? "punctuation" : "empty";
    return { ...base, message };
  }
  const options = s.meta.filters;
  const resolved = resolveFilters(wanted, options, s.foldTable);
  if (resolved === null) return { ...base, message: "unknown-filter" };
  const { scored, terms } = browsing ? await browseAll(s, query, resolved) : await rankAll(s, query, resolved);
  if (sort === "newest" || sort === "oldest") scored.sort(compareByDate(sort === "newest"));
  const page = scored.slice(offset, offset + limit);
  const results = await Promise.all(page.map(async ({ doc, tier, q }) => {
    const t = await text(s, doc);
    const snip = snippet(t.body, terms, s.foldTable);
    const meta = s.docs[doc];
    return {
      id: t.id, url: articleUrl(s, t.id),
      title: t.title, subtitle: t.subtitle, kicker: t.kicker, date: displayDate(meta.date),
      counties: meta.counties.map((i) => options.counties[i]), score: q / s.meta.ranking.score_scale, tier,
      paper: options.papers[meta.paper - 1] || null, page: t.page, kind: options.kinds[meta.kind] ?? null,
      snippet: snip.text, marks: snip.marks,
    };
  }));
  return { ...base, results, total: scored.length, message: scored.length ? null : "none" };
}

// Document numbers of every match, best first, fetching no document text:
// for measuring recall over a whole archive. A number is the article's place
// in ids.bin; the order is by ranking, ties by article ID, never by number.
export async function matchingDocs(queryText) {
  const s = await load();
  const query = parseQuery(String(queryText || ""), s.foldTable, s.meta.ranking.max_query_chars);
  if (!query.clauses.length) return [];
  const resolved = resolveFilters(query.filters, s.meta.filters, s.foldTable);
  if (resolved === null) return [];
  return (await rankAll(s, query, resolved)).scored.map(({ doc, tier }) => [doc, tier]);
}

export async function search(query, { limit = 10, offset = 0, filters = {}, sort = "relevance" } = {}) {
  return (await searchDetailed(query, { limit, offset, filters, sort })).results;
}

export async function filterOptions() {
  return (await load()).meta.filters;
}

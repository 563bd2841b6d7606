// The ranking cases of tests/search/ranking_cases.json (rank.py's answers)
// run through static/search.js: prints every disagreement and exits 1 if
// there is one. Run by tests/search/test_rank_cases.py:
//
//   node tests/search/ranking_cases.mjs tests/search/ranking_cases.json
import { readFileSync } from "node:fs";
import {
  INDEX_FORMAT, clauseScore, compareByDate, compareResults, dateRange, quantize, splitWords, tier2Words, windowStart,
} from "../../static/search.js";

const table = JSON.parse(readFileSync(process.argv[2], "utf8"));
const ranking = table.ranking;
const failures = [];
let checked = 0;

function expect(section, input, got, want) {
  checked++;
  if (JSON.stringify(got) !== JSON.stringify(want)) failures.push({ section, input, got, want });
}

// Scores may differ in the last bits (Math.log is not math.log), never once quantized.
function closeEnough(a, b) {
  return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
}

expect("format", "INDEX_FORMAT", INDEX_FORMAT, table.format);

for (const c of table.clause_score) {
  const score = clauseScore(ranking, c.tf, c.lengths, c.averages, c.df, c.n);
  expect("clause_score", c, quantize(ranking, score), c.q);
  expect("clause_score (raw)", c, closeEnough(score, c.score) ? c.score : score, c.score);
}

for (const c of table.quantize) expect("quantize", c.score, quantize(ranking, c.score), c.q);

for (const c of table.sort) {
  const entries = c.entries.map((e) => ({ ...e, q: quantize(ranking, e.score) }));
  expect("sort", c.entries, entries.sort(compareResults).map((e) => e.id), c.order);
}

for (const c of table.split_words) {
  const candidates = new Map(Object.entries(c.candidates).map(
    ([i, words]) => [Number(i), words.map(([word, cost]) => [Array.from(word), cost])]));
  const split = splitWords(Array.from(c.clause), candidates, c.char_cost).map((w) => w.join(""));
  expect("split_words", c.clause, split, c.split);
}

for (const c of table.tier2_words) {
  const words = tier2Words(c.split.map((w) => Array.from(w))).map((w) => w.join(""));
  expect("tier2_words", c.split, words, c.words);
}

for (const c of table.date_range) {
  let got;
  try { got = { value: c.value, range: dateRange(c.value) }; } catch { got = { value: c.value, error: true }; }
  expect("date_range", c.value, got, c);
}

// Word costs are computed by the build only; the browser reads them from the
// index. What it does use is the cost of a lone character, shipped in meta.
for (const c of table.word_cost) expect("word_cost below char_cost", c, c.cost < ranking.char_cost, true);

for (const c of table.date_order) {
  for (const order of ["newest", "oldest"]) {
    const sorted = [...c.entries].sort(compareByDate(order === "newest")).map((e) => e.id);
    expect(`date_order (${order})`, c.entries, sorted, c[order]);
  }
}

for (const c of table.window_start) expect("window_start", c.hits, windowStart(c.hits, c.length, c.width), c.start);

for (const f of failures) console.log(JSON.stringify(f));
console.log(`${checked - failures.length}/${checked} cases agree with rank.py`);
process.exit(failures.length ? 1 : 0);

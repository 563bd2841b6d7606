// The search page: reads ?q= (and county, topic, year, paper, kind, from,
// to, sort, page) so that links can be shared, runs the search module and
// shows the results. Everything from the query or the archive is put on the
// page as text nodes.
import { searchDetailed, filterOptions } from "./search.js";

const PER_PAGE = 10;
const form = document.getElementById("search-form");
const input = document.getElementById("q");
const results = document.getElementById("results");
const status = document.getElementById("status");
const pager = document.getElementById("pager");
const start = document.getElementById("start");
const FILTERS = ["county", "topic", "year", "paper", "kind", "from", "to", "sort"];
const controls = Object.fromEntries(FILTERS.map((key) => [key, document.getElementById(key)]));
// as the article pages name them (site/model.py KIND_NAMES)
const KIND_LABELS = { news: "消息", feature: "通讯", photo: "图片", brief: "简讯", teaser: "导读", speech: "发言" };
const SORTS = ["newest", "oldest"];

const MESSAGES = {
  empty: "请输入要查找的词语，例如企业名称、地名、人名或经济术语；也可以只选地区、报纸等。",
  punctuation: "只输入了标点符号。请输入要查找的文字。",
  none: "没有找到包含这些文字的报道。可以减少词语、检查错别字，或取消地区、主题、日期等限定。",
  "unknown-filter": "档案中没有符合这些地区、主题、报纸、体裁或日期限定的报道。",
  error: "搜索索引加载失败，请稍后刷新重试。",
};

function params() {
  const p = new URLSearchParams(location.search);
  const out = { q: p.get("q") || "", page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1) };
  for (const key of FILTERS) out[key] = p.get(key) || "";
  if (!SORTS.includes(out.sort)) out.sort = "";
  return out;
}

function option(value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  return o;
}

let filled = null;
function fillFilters(current) {
  filled ||= filterOptions().then((options) => {
    for (const c of options.counties) controls.county.append(option(c, c));
    for (const [name] of options.topics) controls.topic.append(option(name, name));
    for (const y of options.years) controls.year.append(option(String(y), `${y}年`));
    for (const name of options.papers || []) controls.paper.append(option(name, name));
    for (const k of options.kinds || []) controls.kind.append(option(k, KIND_LABELS[k] || k));
  });
  return filled.then(() => {
    for (const [key, control] of Object.entries(controls)) control.value = current[key];
  });
}

function highlighted(text, marks) {
  const p = document.createElement("p");
  p.className = "snippet";
  const chars = Array.from(text);
  let at = 0;
  for (const [from, to] of marks) {
    if (from > at) p.append(document.createTextNode(chars.slice(at, from).join("")));
    const mark = document.createElement("mark");
    mark.textContent = chars.slice(from, to).join("");
    p.append(mark);
    at = to;
  }
  if (at < chars.length) p.append(document.createTextNode(chars.slice(at).join("")));
  return p;
}

// 2024-11-30 -> 2024年11月30日, 2024-02 -> 2024年2月 (render.cn_date)
function cnDate(date) {
  if (!date) return "日期不详";
  return date.split("-").map((n, i) => `${parseInt(n, 10)}${"年月日"[i]}`).join("");
}

// The words marked in a snippet, as printed: the article page marks the same
// words (static/highlight.js reads them from #hl=).
function markedTexts(text, marks) {
  const chars = Array.from(text);
  return [...new Set(marks.map(([from, to]) => chars.slice(from, to).join("")))];
}

function withTerms(url, terms) {
  return terms.length ? `${url}#hl=${encodeURIComponent(terms.join(" "))}` : url;
}

// "2024-11" .. "2024-12" -> the date filter "2024-11..2024-12"
function dateFilter(from, to) {
  return from || to ? `${from}..${to}` : "";
}

function hasFilter(p) {
  return ["county", "topic", "year", "paper", "kind", "from", "to"].some((key) => p[key]);
}

function resultItem(r) {
  const li = document.createElement("li");
  li.dataset.id = r.id;
  const h = document.createElement("h2");
  const a = document.createElement("a");
  a.href = withTerms(r.url, markedTexts(r.snippet, r.marks));
  a.textContent = r.title;
  h.append(a);
  li.append(h);
  const meta = document.createElement("p");
  meta.className = "meta";
  const paper = r.paper ? r.paper + (r.page ? ` 第${r.page}版` : "") : "";
  const kind = r.kind ? KIND_LABELS[r.kind] || r.kind : "";
  meta.textContent = [cnDate(r.date), paper, (r.counties || []).join("、"), kind,
    r.tier === 2 ? "含全部词语，但不连在一起" : ""].filter(Boolean).join(" · ");
  li.append(meta, highlighted(r.snippet, r.marks));
  return li;
}

async function run() {
  const p = params();
  input.value = p.q;
  results.dataset.state = "loading";
  results.replaceChildren();
  pager.hidden = true;
  start.hidden = Boolean(p.q.trim() || hasFilter(p));
  status.textContent = start.hidden ? "正在搜索……" : "";
  try {
    await fillFilters(p).catch(() => {});
    const filters = { county: p.county, topic: p.topic, year: p.year, paper: p.paper, kind: p.kind, date: dateFilter(p.from, p.to) };
    const found = await searchDetailed(p.q, { limit: PER_PAGE, offset: (p.page - 1) * PER_PAGE, filters, sort: p.sort || "relevance" });
    const notes = [];
    if (found.truncated) notes.push(`查询太长，只用了前 ${found.maxQueryChars} 个字。`);
    if (found.message) notes.push(MESSAGES[found.message]);
    else {
      const pages = Math.ceil(found.total / PER_PAGE);
      if (pages && p.page > pages) {          // an old link past the last page: show the last
        history.replaceState(null, "", address({ ...p, page: pages }));
        return run();
      }
      notes.push(`找到 ${found.total} 篇报道` + (pages > 1 ? `，第 ${p.page}/${pages} 页` : "") + "。");
      results.start = (p.page - 1) * PER_PAGE + 1;
      results.append(...found.results.map(resultItem));
      if (pages > 1) showPager(p, pages);
    }
    status.textContent = notes.join(" ");
  } catch (error) {
    status.textContent = MESSAGES.error;
    console.warn(error);
  }
  results.dataset.state = "done";
}

function address(p) {
  const next = new URLSearchParams();
  for (const key of ["q", ...FILTERS]) if (p[key]) next.set(key, p[key]);
  if (p.page > 1) next.set("page", String(p.page));
  return `${location.pathname}?${next}`;
}

function go(changes) {
  history.pushState(null, "", address({ ...params(), ...changes }));
  run();
}

function showPager(p, pages) {
  pager.hidden = false;
  document.getElementById("page-info").textContent = `${p.page} / ${pages}`;
  const prev = document.getElementById("prev"), next = document.getElementById("next");
  prev.disabled = p.page <= 1;
  next.disabled = p.page >= pages;
  prev.onclick = () => turnPage(p.page - 1);
  next.onclick = () => turnPage(p.page + 1);
}

function turnPage(page) {
  go({ page });
  status.scrollIntoView({ block: "nearest" });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const values = Object.fromEntries(FILTERS.map((key) => [key, controls[key].value]));
  go({ q: input.value, ...values, page: 1 });
});
for (const control of Object.values(controls)) {
  control.addEventListener("change", () => go({ [control.name]: control.value, page: 1 }));
}
document.addEventListener("keydown", (event) => {
  if (event.key === "/" && document.activeElement !== input && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    input.focus();
    input.select();
  }
});
window.addEventListener("popstate", run);
// Focus the box only for a fresh search on a desktop: with a query in the
// address the reader came for the results, and on a phone the keyboard
// would cover them.
if (!params().q && !matchMedia("(pointer: coarse)").matches) input.focus();
run();

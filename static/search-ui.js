// The search page: reads ?q= (and county, topic, year, page) so that links
// can be shared, runs the search module and shows the results. Everything
// from the query or the archive is put on the page as text nodes.
import { searchDetailed, filterOptions } from "./search.js";

const PER_PAGE = 10;
const form = document.getElementById("search-form");
const input = document.getElementById("q");
const results = document.getElementById("results");
const status = document.getElementById("status");
const pager = document.getElementById("pager");
const selects = { county: document.getElementById("county"), topic: document.getElementById("topic"), year: document.getElementById("year") };

const MESSAGES = {
  empty: "请输入要查找的词语,例如企业名称、地名、人名或经济术语。",
  punctuation: "只输入了标点符号。请输入要查找的文字。",
  none: "没有找到包含这些文字的报道。可以减少词语、检查错别字,或取消地区、主题、年份的限定。",
  "unknown-filter": "档案中没有符合这个地区、主题或年份限定的报道。",
  error: "搜索索引加载失败,请稍后刷新重试。",
};

function params() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get("q") || "",
    county: p.get("county") || "",
    topic: p.get("topic") || "",
    year: p.get("year") || "",
    page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1),
  };
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
    for (const c of options.counties) selects.county.append(option(c, c));
    for (const [name] of options.topics) selects.topic.append(option(name, name));
    for (const y of options.years) selects.year.append(option(String(y), `${y}年`));
  });
  return filled.then(() => {
    for (const [key, select] of Object.entries(selects)) select.value = current[key];
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

function resultItem(r) {
  const li = document.createElement("li");
  li.dataset.id = r.id;
  const h = document.createElement("h2");
  const a = document.createElement("a");
  a.href = r.url;
  a.textContent = r.title;
  h.append(a);
  li.append(h);
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = [cnDate(r.date), (r.counties || []).join("、"), r.tier === 2 ? "含全部词语，但不连在一起" : ""]
    .filter(Boolean).join(" · ");
  li.append(meta, highlighted(r.snippet, r.marks));
  return li;
}

async function run() {
  const p = params();
  input.value = p.q;
  results.dataset.state = "loading";
  results.replaceChildren();
  pager.hidden = true;
  status.textContent = p.q.trim() ? "正在搜索……" : "";
  try {
    await fillFilters(p).catch(() => {});
    const filters = { county: p.county, topic: p.topic, year: p.year };
    const found = await searchDetailed(p.q, { limit: PER_PAGE, offset: (p.page - 1) * PER_PAGE, filters });
    const notes = [];
    if (found.truncated) notes.push(`查询太长,只用了前 ${found.maxQueryChars} 个字。`);
    if (found.message) notes.push(MESSAGES[found.message]);
    else {
      const pages = Math.ceil(found.total / PER_PAGE);
      notes.push(`找到 ${found.total} 篇报道` + (pages > 1 ? `,第 ${p.page}/${pages} 页` : "") + "。");
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

function go(changes) {
  const p = { ...params(), ...changes };
  const next = new URLSearchParams();
  for (const key of ["q", "county", "topic", "year"]) if (p[key]) next.set(key, p[key]);
  if (p.page > 1) next.set("page", String(p.page));
  history.pushState(null, "", `${location.pathname}?${next}`);
  run();
}

function showPager(p, pages) {
  pager.hidden = false;
  document.getElementById("page-info").textContent = `${p.page} / ${pages}`;
  const prev = document.getElementById("prev"), next = document.getElementById("next");
  prev.disabled = p.page <= 1;
  next.disabled = p.page >= pages;
  prev.onclick = () => go({ page: p.page - 1 });
  next.onclick = () => go({ page: p.page + 1 });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  go({ q: input.value, county: selects.county.value, topic: selects.topic.value, year: selects.year.value, page: 1 });
});
for (const select of Object.values(selects)) {
  select.addEventListener("change", () => go({ [select.name]: select.value, page: 1 }));
}
document.addEventListener("keydown", (event) => {
  if (event.key === "/" && document.activeElement !== input && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    input.focus();
    input.select();
  }
});
window.addEventListener("popstate", run);
run();

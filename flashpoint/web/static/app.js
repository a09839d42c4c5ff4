// flashpoint dashboard: a small single-page app over the JSON API (docs/api.md).
// Every piece of data reaches the page as a text node or an attribute value, never as markup:
// the DOM is built with h() / svg() below, and nothing here assigns innerHTML.
"use strict";

const QUAD_NAMES = {0: "neutral", 1: "verbal cooperation", 2: "material cooperation",
  3: "verbal conflict", 4: "material conflict"};
const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const SVG_NS = "http://www.w3.org/2000/svg";

// -- DOM helpers ---------------------------------------------------------------------------------------

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setAttributes(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  return node;
}

function h(tag, attrs, ...children) {
  return append(setAttributes(document.createElement(tag), attrs), children);
}

function svg(tag, attrs, ...children) {
  return append(setAttributes(document.createElementNS(SVG_NS, tag), attrs), children);
}

// Only http(s) addresses from the data become links: "javascript:" and the like stay text.
function safeUrl(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

function show(...children) {
  const view = document.getElementById("view");
  view.replaceChildren();
  append(view, children);
  window.scrollTo(0, 0);
}

function addDays(day, days) {
  const date = new Date(day + "T00:00:00Z");
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function excerpt(text, length) {
  const chars = Array.from(text || "");
  return chars.length > length ? chars.slice(0, length).join("") + "\u2026" : chars.join("");
}

// -- routes and the API --------------------------------------------------------------------------------

function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, search] = hash.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return {parts, query: new URLSearchParams(search || "")};
}

function link(parts, query) {
  const path = parts.map(encodeURIComponent).join("/");
  const search = query ? new URLSearchParams(
    Object.entries(query).filter(([, value]) => value !== null && value !== undefined && value !== "")
  ).toString() : "";
  return "#/" + path + (search ? "?" + search : "");
}

const eventLink = (event) => link(["event", event.article_id, String(event.index)]);
const articleLink = (articleId, index) => link(["article", articleId], {event: index});
const dyadLink = (a, b, query) => link(["dyad", a, b], query);

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(path, query) {
  const search = query ? new URLSearchParams(
    Object.entries(query).filter(([, value]) => value !== null && value !== undefined && value !== "")
  ).toString() : "";
  const headers = {Accept: "application/json"};
  const token = sessionStorage.getItem("flashpoint-token");
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch(path + (search ? "?" + search : ""), {headers});
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = body.error || {code: String(response.status), message: response.statusText};
    throw new ApiError(response.status, error.code, error.message);
  }
  return body;
}

function failure(error) {
  if (error instanceof ApiError && error.status === 401) return tokenForm(error);
  return h("div", {class: "error", role: "alert"},
    h("strong", null, error.code ? error.code + " " : "Error "), error.message || String(error));
}

function tokenForm(error) {
  const input = h("input", {type: "password", name: "token", autocomplete: "off", "aria-label": "token"});
  const form = h("form", {class: "token", onsubmit: (event) => {
    event.preventDefault();
    sessionStorage.setItem("flashpoint-token", input.value);
    render();
  }}, h("p", null, `${error.code} ${error.message}`), h("label", null, "Token ", input),
  h("button", {type: "submit"}, "Open"));
  return form;
}

async function render() {
  const {parts, query} = route();
  const pages = {"": overview, dyad: dyadView, event: eventView, article: articleView, map: mapView};
  const page = pages[parts[0] || ""] || notFound;
  document.querySelectorAll("header nav a").forEach((anchor) => {
    anchor.classList.toggle("active", anchor.getAttribute("href") === "#/" + (parts[0] || ""));
  });
  try {
    await page(parts.slice(1), query);
  } catch (error) {
    show(failure(error));
  }
}

function notFound() {
  show(h("h1", null, "Not found"), h("p", null, h("a", {href: "#/"}, "Back to the overview")));
}

// -- shared pieces ---------------------------------------------------------------------------------------

function actorNames(actors) {
  return (actors || []).map((actor) => actor.country ? `${actor.name} (${actor.country})` : actor.name).join(", ");
}

function windowForm(query, fields, onApply) {
  const inputs = {};
  const controls = fields.map((field) => {
    let input;
    if (field.options) {
      input = h("select", {name: field.name},
        field.options.map(([value, label]) => h("option", {value, selected: query.get(field.name) === value}, label)));
    } else {
      input = h("input", {name: field.name, type: field.type || "text", value: query.get(field.name) || "",
        placeholder: field.placeholder || "", size: field.size || 10});
    }
    inputs[field.name] = input;
    return h("label", null, field.label + " ", input);
  });
  return h("form", {class: "filters", onsubmit: (event) => {
    event.preventDefault();
    const values = {};
    for (const [name, input] of Object.entries(inputs)) values[name] = input.value.trim();
    onApply(values);
  }}, controls, h("button", {type: "submit"}, "Apply"));
}

function typeOptions() {
  return [["", "any type"], ...TYPES.map((type) => [type, type])];
}

function quadOptions() {
  return [["", "any quad class"], ...Object.entries(QUAD_NAMES).map(([value, name]) => [value, `${value} ${name}`])];
}

function eventsTable(events) {
  const rows = events.map((event) => h("tr", {class: "quad-" + event.quad_class, onclick: (click) => {
    if (click.target.tagName !== "A") location.hash = eventLink(event);
  }},
    h("td", {class: "nowrap"}, event.date || "?"),
    h("td", null, h("span", {class: "type"}, event.type), " ", h("span", {class: "muted"}, event.cameo)),
    h("td", null, actorNames(event.source)),
    h("td", null, actorNames(event.target)),
    h("td", null, h("a", {class: "event-link", href: eventLink(event)}, excerpt(event.evidence.text, 160))),
    h("td", null, (event.article && event.article.source) || ""),
    h("td", {class: "num"}, event.confidence.toFixed(2))));
  return h("table", {class: "events"},
    h("thead", null, h("tr", null, ["date", "type", "source", "target", "evidence", "outlet", "conf."].map(
      (name) => h("th", null, name)))),
    h("tbody", null, rows));
}

// A table of events with a "more" button that follows the API's next_cursor.
function pagedEvents(query) {
  const holder = h("div", {class: "paged", id: "events"}, h("p", {class: "muted"}, "Loading events\u2026"));
  const load = async (cursor, table) => {
    const page = await api("/api/events", {...query, cursor});
    const rows = eventsTable(page.events);
    if (table) table.tBodies[0].append(...rows.tBodies[0].children);
    else holder.replaceChildren(page.events.length ? rows : h("p", {class: "muted"}, "No events match."));
    const current = table || rows;
    holder.querySelector("button.more")?.remove();
    if (page.next_cursor !== null) {
      holder.append(h("button", {class: "more", onclick: () => load(page.next_cursor, current).catch(
        (error) => holder.append(failure(error)))}, "More events"));
    }
  };
  load(null, null).catch((error) => holder.replaceChildren(failure(error)));
  return holder;
}

// -- overview --------------------------------------------------------------------------------------------

async function overview(_, query) {
  const window_ = {since: query.get("since"), until: query.get("until")};
  const form = windowForm(query, [
    {name: "since", label: "From", placeholder: "YYYY-MM-DD"},
    {name: "until", label: "to", placeholder: "YYYY-MM-DD"},
  ], (values) => { location.hash = link([], values); });
  const dyadsBox = h("section", {id: "top-dyads"}, h("h2", null, "Most active dyads"), h("p", {class: "muted"}, "Loading\u2026"));
  const pointsBox = h("section", {id: "recent-turning-points"}, h("h2", null, "Recent turning points"),
    h("p", {class: "muted"}, "Looking for turning points\u2026"));
  show(h("h1", null, "Overview"), form, h("div", {class: "columns"}, dyadsBox, pointsBox));

  const {dyads} = await api("/api/dyads", {...window_, limit: 15});
  const max = Math.max(1, ...dyads.map((dyad) => dyad.events));
  dyadsBox.replaceChildren(h("h2", null, "Most active dyads"), dyads.length ? h("table", {class: "dyads"},
    h("tbody", null, dyads.map((dyad) => h("tr", null,
      h("td", null, h("a", {href: dyadLink(dyad.a, dyad.b, window_)}, `${dyad.a} \u2013 ${dyad.b}`)),
      h("td", {class: "num"}, dyad.events),
      h("td", {class: "bar"}, svg("svg", {width: 160, height: 10, "aria-hidden": "true"},
        svg("rect", {width: Math.max(1, 160 * dyad.events / max), height: 10, class: "bar"}))))))) :
    h("p", {class: "muted"}, "No events between two countries yet."));

  try {
    const {turning_points: points} = await api("/api/turning-points", window_);
    pointsBox.replaceChildren(h("h2", null, "Recent turning points"), points.length ? h("ul", {class: "turning"},
      points.slice(0, 20).map((point) => h("li", {class: point.direction},
        h("a", {href: dyadLink(point.a, point.b, window_)}, `${point.a} \u2013 ${point.b}`), " ",
        h("strong", null, point.direction), " on ", point.date,
        h("span", {class: "muted"}, ` (magnitude ${point.magnitude.toFixed(1)}, confidence ${point.confidence.toFixed(2)})`)))) :
      h("p", {class: "muted"}, "No turning points in the most active dyads."));
  } catch (error) {
    pointsBox.replaceChildren(h("h2", null, "Recent turning points"), failure(error));
  }
}

// -- dyad view -------------------------------------------------------------------------------------------

async function dyadView([a, b], query) {
  if (!a || !b) return notFound();
  const filters = {since: query.get("since"), until: query.get("until"), interval: query.get("interval") || "day"};
  const period = query.get("period");
  const periodEnd = period && filters.interval === "week" ? addDays(period, 6) : period;
  const eventFilters = {dyad: `${a}-${b}`, since: period || filters.since, until: periodEnd || filters.until,
    type: query.get("type"), quad_class: query.get("quad"), limit: 50};
  const form = windowForm(query, [
    {name: "since", label: "From", placeholder: "YYYY-MM-DD"},
    {name: "until", label: "to", placeholder: "YYYY-MM-DD"},
    {name: "interval", label: "per", options: [["day", "day"], ["week", "week"]]},
    {name: "type", label: "type", options: typeOptions()},
    {name: "quad", label: "quad", options: quadOptions()},
  ], (values) => { location.hash = dyadLink(a, b, values); });
  const chartBox = h("section", {class: "chart", id: "chart"}, h("p", {class: "muted"}, "Loading the series\u2026"));
  const pointsBox = h("section", {id: "turning-points"});
  const everything = {...Object.fromEntries(query), period: null};
  show(h("h1", null, `${a} \u2013 ${b}`, h("span", {class: "muted"}, " conflict and cooperation")), form, chartBox,
    pointsBox, h("h2", null, "Events", period ? [` of ${period}${periodEnd !== period ? " to " + periodEnd : ""} `,
      h("a", {href: dyadLink(a, b, everything), class: "clear"}, "(show all)")] : null), pagedEvents(eventFilters));

  const [series, found] = await Promise.all([
    api(`/api/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}/series`, filters),
    api(`/api/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}/turning-points`, filters),
  ]);
  const onPeriod = (day) => { location.hash = dyadLink(a, b, {...Object.fromEntries(query), period: day}); };
  chartBox.replaceChildren(series.points.length ? timeline(series.points, found.turning_points, onPeriod) :
    h("p", {class: "muted"}, "No dated events between these countries."));
  pointsBox.replaceChildren(h("h2", null, "Turning points"), found.turning_points.length ?
    h("ul", {class: "turning"}, found.turning_points.map((point) => h("li", {class: point.direction},
      h("strong", null, point.direction), " on ", point.date,
      h("span", {class: "muted"},
        ` magnitude ${point.magnitude.toFixed(1)} (from ${point.before.toFixed(1)} to ${point.after.toFixed(1)} a period),` +
        ` confidence ${point.confidence.toFixed(2)}`),
      point.drivers && point.drivers.length ? h("ul", {class: "drivers"}, point.drivers.map((driver) => h("li", null,
        h("a", {href: eventLink(driver.events[0])}, `${driver.events[0].type} ${driver.events[0].date || ""}: `,
          excerpt(driver.events[0].evidence.text, 120)),
        driver.reports > 1 ? h("span", {class: "muted"}, ` (${driver.reports} reports)`) : null))) : null))) :
    h("p", {class: "muted"}, "No turning points: the level of this dyad does not shift."));
}

// The series as bars (cooperative events up, conflictual events down), the net intensity as a line, and
// each turning point as a dashed rule with its direction.
function timeline(points, turningPoints, onPeriod) {
  const width = 960, height = 280, left = 44, right = 16, top = 28, bottom = 36;
  const plotWidth = width - left - right, plotHeight = height - top - bottom, middle = top + plotHeight / 2;
  const step = plotWidth / points.length;
  const maxCount = Math.max(1, ...points.map((point) => Math.max(point.cooperation, point.conflict)));
  const maxScore = Math.max(1, ...points.map((point) => Math.abs(point.intensity)));
  const x = (index) => left + index * step;
  const barHeight = (count) => (plotHeight / 2) * count / maxCount;
  const scoreY = (value) => middle - (plotHeight / 2) * value / maxScore;
  const index = new Map(points.map((point, position) => [point.period, position]));

  const chart = svg("svg", {viewBox: `0 0 ${width} ${height}`, class: "timeline", role: "img",
    "aria-label": "conflict and cooperation per period"});
  chart.append(svg("line", {x1: left, x2: width - right, y1: middle, y2: middle, class: "axis"}));
  chart.append(svg("text", {x: left - 6, y: top + 10, class: "tick", "text-anchor": "end"}, String(maxCount)));
  chart.append(svg("text", {x: left - 6, y: top + plotHeight, class: "tick", "text-anchor": "end"}, String(maxCount)));
  points.forEach((point, position) => {
    const group = svg("g", {class: "period", "data-period": point.period, onclick: () => onPeriod(point.period)},
      svg("title", null, `${point.period}: ${point.cooperation} cooperative, ${point.conflict} conflictual events, ` +
        `net intensity ${point.intensity.toFixed(1)}`),
      svg("rect", {x: x(position), y: top, width: step, height: plotHeight, class: "hit"}),
      svg("rect", {x: x(position) + step * 0.1, y: middle - barHeight(point.cooperation), width: step * 0.8,
        height: barHeight(point.cooperation), class: "cooperation"}),
      svg("rect", {x: x(position) + step * 0.1, y: middle, width: step * 0.8, height: barHeight(point.conflict),
        class: "conflict"}));
    chart.append(group);
  });
  const line = points.map((point, position) => `${position ? "L" : "M"}${(x(position) + step / 2).toFixed(1)} ` +
    `${scoreY(point.intensity).toFixed(1)}`).join("");
  chart.append(svg("path", {d: line, class: "score"}));
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((point, position) => {
    if (position % labelEvery === 0) {
      chart.append(svg("text", {x: x(position) + step / 2, y: height - 12, class: "tick", "text-anchor": "middle"},
        point.period));
    }
  });
  for (const point of turningPoints) {
    const position = index.get(point.date);
    if (position === undefined) continue;
    const at = x(position);
    chart.append(svg("g", {class: "tp " + point.direction, "data-date": point.date},
      svg("title", null, `${point.direction} on ${point.date}: confidence ${point.confidence.toFixed(2)}, ` +
        `magnitude ${point.magnitude.toFixed(1)}`),
      svg("line", {x1: at, x2: at, y1: top - 6, y2: top + plotHeight, class: "tp-rule"}),
      svg("text", {x: at + 3, y: top - 10, class: "tp-label"},
        (point.direction === "escalation" ? "\u25bc " : "\u25b2 ") + point.direction)));
  }
  return h("figure", null, chart, h("figcaption", {class: "muted"},
    "Bars: cooperative events (up) and conflictual events (down) per period; line: net PLOVER intensity; ",
    "dashed rules: turning points. Click a period to list its events."));
}

// -- event view ------------------------------------------------------------------------------------------

async function eventView([articleId, index]) {
  const event = await api(`/api/events/${encodeURIComponent(articleId)}/${encodeURIComponent(index)}`);
  const article = await api(`/api/articles/${encodeURIComponent(articleId)}`);
  const text = event.statement === null || event.statement === undefined ? article.article.text :
    (article.statements[event.statement] || {}).text || "";
  const facts = [
    ["type", `${event.type}${event.mode ? " / " + event.mode : ""}${event.context ? " (" + event.context + ")" : ""}`],
    ["CAMEO", event.cameo], ["quad class", `${event.quad_class} ${QUAD_NAMES[event.quad_class] || ""}`],
    ["intensity", event.intensity], ["Goldstein", event.goldstein],
    ["date", [event.date || "unknown", event.date_end ? ` to ${event.date_end}` : "",
      ` (${event.date_precision}${event.date_basis ? ", " + event.date_basis : ""})`].join("")],
    ["location", event.location ? [event.location.name, event.location.country, event.location.admin1].filter(Boolean).join(", ") : "\u2013"],
    ["modality", Object.entries(event.modality).filter(([, on]) => on).map(([name]) => name).join(", ") || "asserted"],
    ["confidence", event.confidence.toFixed(2)],
    ["source", actorNames(event.source) || "\u2013"], ["target", actorNames(event.target) || "\u2013"],
    ["third parties", actorNames(event.third_parties) || "\u2013"],
    ["article", h("a", {href: articleLink(event.article_id, event.index), class: "article-link"},
      article.article.title || event.article_id)],
    ["outlet", event.article.source || "\u2013"], ["published", event.article.published || "\u2013"],
  ];
  const dyads = [];
  for (const source of event.source) for (const target of event.target) {
    if (source.country && target.country && source.country !== target.country) {
      dyads.push(h("a", {href: dyadLink(source.country, target.country)}, `${source.country} \u2013 ${target.country}`));
    }
  }
  show(h("h1", null, event.type, " ", h("span", {class: "muted"}, event.date || "")),
    h("blockquote", {class: "context", id: "evidence"}, evidenceInContext(text, event)),
    h("table", {class: "facts"}, h("tbody", null, facts.map(([name, value]) =>
      h("tr", null, h("th", null, name), h("td", null, value === null || value === undefined ? "\u2013" : value))))),
    dyads.length ? h("p", null, "Dyad: ", dyads.map((anchor, position) => [position ? ", " : "", anchor])) : null,
    h("h2", null, "Other reports of this event"),
    event.mentions.length ? h("ul", null, event.mentions.map((mention) => h("li", null,
      h("a", {href: eventLink(mention)}, excerpt(mention.evidence.text, 140)), " ",
      h("span", {class: "muted"}, mention.article.source || mention.article_id)))) :
      h("p", {class: "muted"}, "None: no other article reports it (or it is in no cluster)."));
}

function evidenceInContext(text, event) {
  const chars = Array.from(text);
  const start = Math.max(0, event.evidence.start - 240), end = Math.min(chars.length, event.evidence.end + 240);
  const span = {...event.evidence, index: event.index, type: event.type};
  return [start > 0 ? "\u2026" : "", highlighted(chars.slice(start, end).join(""), [shift(span, -start)], event.index),
    end < chars.length ? "\u2026" : ""];
}

function shift(span, by) {
  const moved = {...span, start: span.start + by, end: span.end + by};
  if (span.trigger_start !== null && span.trigger_start !== undefined) {
    moved.trigger_start = span.trigger_start + by;
    moved.trigger_end = span.trigger_end + by;
  }
  return moved;
}

// The text with every span marked; overlapping spans cut the text into pieces, each marked with all the
// events that cover it. Offsets count Unicode code points, as Python's do.
function highlighted(text, spans, current) {
  const chars = Array.from(text);
  const clamp = (value) => Math.max(0, Math.min(chars.length, value));
  const cuts = new Set([0, chars.length]);
  for (const span of spans) {
    [span.start, span.end, span.trigger_start, span.trigger_end].forEach((value) => {
      if (typeof value === "number") cuts.add(clamp(value));
    });
  }
  const sorted = [...cuts].sort((first, second) => first - second);
  const pieces = [];
  for (let position = 0; position + 1 < sorted.length; position++) {
    const [from, to] = [sorted[position], sorted[position + 1]];
    const piece = chars.slice(from, to).join("");
    const covering = spans.filter((span) => span.start <= from && to <= span.end);
    if (!covering.length) {
      pieces.push(piece);
      continue;
    }
    const trigger = covering.some((span) => typeof span.trigger_start === "number" &&
      span.trigger_start <= from && to <= span.trigger_end);
    const classes = ["evidence", covering.some((span) => span.index === current) ? "current" : "",
      trigger ? "trigger" : ""].filter(Boolean).join(" ");
    pieces.push(h("mark", {class: classes, "data-events": covering.map((span) => span.index).join(" "),
      title: covering.map((span) => `event ${span.index}: ${span.type}`).join("; ")}, piece));
  }
  return pieces;
}

// -- article view ----------------------------------------------------------------------------------------

async function articleView([articleId], query) {
  const data = await api(`/api/articles/${encodeURIComponent(articleId)}`);
  const selected = query.get("event") === null ? null : Number(query.get("event"));
  const spansOf = (statement) => data.events.filter((event) => (event.statement ?? null) === statement)
    .map((event) => ({...event.evidence, index: event.index, type: event.type}));
  const meta = data.article;
  const url = safeUrl(meta.url);
  const body = h("div", {class: "article-text", id: "article-text"}, highlighted(meta.text, spansOf(null), selected));
  const statements = data.statements.map((statement, position) => h("blockquote", {class: "statement"},
    h("p", {class: "statement-text"}, highlighted(statement.text, spansOf(position), selected)),
    h("footer", {class: "muted"}, [statement.author, statement.handle ? "@" + statement.handle : null,
      statement.date].filter(Boolean).join(" \u00b7 "))));
  const list = h("ol", {class: "event-list", start: 0}, data.events.map((event) => h("li", {
    class: event.index === selected ? "current" : "", "data-index": event.index},
    h("a", {href: articleLink(meta.id, event.index), class: "select"}, event.type), " ",
    h("span", {class: "muted"}, event.date || ""), " ", excerpt(event.evidence.text, 90), " ",
    h("a", {href: eventLink(event), class: "muted"}, "details"))));
  show(
    h("h1", {id: "article-title"}, meta.title || meta.id),
    h("p", {class: "muted"}, [meta.source, meta.published, url ? h("a", {href: url, rel: "noopener noreferrer nofollow",
      target: "_blank"}, url) : meta.url].filter(Boolean).map((part, position) => [position ? " \u00b7 " : "", part])),
    data.errors.length ? h("div", {class: "error"}, data.errors.map((error) => h("p", null, error.code, " ", error.message))) : null,
    h("div", {class: "article"}, h("div", null, body,
      statements.length ? [h("h2", null, "Embedded statements"), statements] : null),
    h("aside", null, h("h2", null, `Events (${data.events.length})`), list)));
  const current = document.querySelector("mark.current");
  if (current) current.scrollIntoView({block: "center"});
}

// -- map -------------------------------------------------------------------------------------------------

let worldPromise = null;

async function mapView(_, query) {
  const filters = {since: query.get("since"), until: query.get("until"), dyad: query.get("dyad"),
    country: query.get("country"), type: query.get("type")};
  const form = windowForm(query, [
    {name: "since", label: "From", placeholder: "YYYY-MM-DD"},
    {name: "until", label: "to", placeholder: "YYYY-MM-DD"},
    {name: "dyad", label: "dyad", placeholder: "PAK-IRN", size: 8},
    {name: "country", label: "country", placeholder: "PAK", size: 4},
    {name: "type", label: "type", options: typeOptions()},
  ], (values) => { location.hash = link(["map"], values); });
  const mapBox = h("section", {id: "map"}, h("p", {class: "muted"}, "Loading the map\u2026"));
  const detail = h("section", {id: "place-events"});
  show(h("h1", null, "Where events happened"), form, mapBox, detail);
  worldPromise = worldPromise || fetch("/static/world-110m.json").then((response) => response.json());
  const [world, found] = await Promise.all([worldPromise, api("/api/places", filters)]);
  const max = Math.max(1, ...found.places.map((place) => place.events));
  const chart = svg("svg", {viewBox: world.viewBox.join(" "), class: "world", role: "img", "aria-label": "map of event locations"},
    svg("rect", {x: 0, y: 0, width: 360, height: 180, class: "sea"}),
    world.countries.map((country) => svg("path", {d: country.d, class: "land"}, svg("title", null, country.name))),
    found.places.map((place) => svg("circle", {
      cx: (place.lon + 180).toFixed(2), cy: (90 - place.lat).toFixed(2), r: (0.8 + 3.2 * Math.sqrt(place.events / max)).toFixed(2),
      class: "place " + (place.conflict >= place.cooperation ? "conflict" : "cooperation"),
      onclick: () => showPlace(detail, place)},
    svg("title", null, `${place.name}${place.country ? " (" + place.country + ")" : ""}: ${place.events} events`))));
  mapBox.replaceChildren(chart, h("p", {class: "muted"},
    `${found.places.length} places from ${found.scanned} events${found.truncated ? " (the first ones only: narrow the filters)" : ""}. `,
    "Outlines: Natural Earth via world-atlas. Click a circle for its events."));
}

function showPlace(detail, place) {
  detail.replaceChildren(h("h2", null, place.name, " ", h("span", {class: "muted"}, place.country || "")),
    h("p", null, `${place.events} events: ${place.conflict} conflictual, ${place.cooperation} cooperative.`),
    h("ul", null, place.refs.map((ref) => h("li", null,
      h("a", {href: link(["event", ref.article_id, String(ref.index)])}, `${ref.article_id} event ${ref.index}`)))));
}

window.addEventListener("hashchange", render);
window.addEventListener("DOMContentLoaded", render);

/*
 * Material's search worker with one change: pages whose title, abbreviation or
 * alias is exactly what the reader typed come first.
 *
 * Lunr ranks by term weight, and Material appends a wildcard to every query, so
 * "git" also matches "github" and "gitlab", whose rarer titles outscore "Git".
 * Material 9.8 has no ranking hook, so this file wraps its worker: overrides/main.html
 * points the theme at this file with `?material=<Material's worker file>`, this file
 * loads that worker unchanged, watches the queries it receives and reorders the
 * results it posts back. Names come from search/names.json, written at build time
 * from the data (macros/search_names.py): page location -> lower-case names.
 */
"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3  // Material's SearchMessageType

const normalize = text => String(text).toLowerCase().trim().split(/\s+/).join(" ")
const plain = html => html.replace(/<[^>]*>/g, "")
  .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#0?39;/g, "'").replace(/&amp;/g, "&")

const names = fetch("../../../search/names.json")
  .then(response => response.ok ? response.json() : {})
  .catch(() => ({}))

let articles = new Map()   // page location -> its search document (the page, not a section)
let byName = new Map()     // normalized name -> page locations
let query = ""

function index(docs, pageNames) {
  articles = new Map(docs.filter(doc => !doc.location.includes("#")).map(doc => [doc.location, doc]))
  byName = new Map()
  const add = (name, location) => byName.set(name, [...byName.get(name) || [], location])
  for (const [location, doc] of articles)
    add(normalize(plain(doc.title)), location)
  for (const [location, list] of Object.entries(pageNames))
    if (articles.has(location))
      for (const name of list)
        if (!(byName.get(name) || []).includes(location))
          add(name, location)
}

function rerank(items) {
  const wanted = byName.get(normalize(query.replace(/["*]/g, ""))) || []
  if (!wanted.length)
    return items
  const locationOf = group => (group.find(doc => !doc.location.includes("#")) || group[0]).location.split("#")[0]
  const exact = items.filter(group => wanted.includes(locationOf(group)))
  const others = items.filter(group => !wanted.includes(locationOf(group)))
  for (const location of wanted)  // a page found only by its name still belongs first
    if (!exact.some(group => locationOf(group) === location) && articles.has(location))
      exact.push([{ ...articles.get(location), score: 0, terms: {} }])
  // Lift the exact pages' scores above every other result: Material's Enter key
  // opens the highest score, and sections keep their order within each page.
  const top = Math.max(0, ...items.flat().map(doc => doc.score)) + 1
  for (const group of exact)
    for (const doc of group)
      doc.score += top
  return [...exact, ...others]
}

addEventListener("message", ({ data: message }) => {
  if (message.type === SETUP)
    names.then(pageNames => index(message.data.docs, pageNames))
  else if (message.type === QUERY)
    query = message.data
})

const post = self.postMessage.bind(self)
self.postMessage = message => {
  if (message.type === READY)  // answer queries only once the names are in
    names.then(() => post(message))
  else if (message.type === RESULT)
    post({ ...message, data: { ...message.data, items: rerank(message.data.items) } })
  else
    post(message)
}

importScripts(new URL(self.location.href).searchParams.get("material"))

/*
 * The search worker: Material's own (9.8.1), with Japanese queries split into the words
 * the index was split into. overrides/main.html starts this file instead of Material's
 * worker and names that worker in the `worker` parameter of its address.
 *
 * The index arrives cut into words (hooks/search_index.py: SudachiPy at build time, the
 * words joined by U+200B, which the index's separator splits at). A query is cut here,
 * before Material's worker reads it: each run of Japanese letters becomes the fewest words
 * of the index's own vocabulary that cover it (「学習モード」 -> 学習 モード), every word
 * required ("+学習 +モード", the last one also as a prefix, for a word still being typed).
 * Letters no indexed word covers stay together as one optional prefix term.
 * Function words (particles, auxiliaries, する; the index's `config.function_words`, found by
 * the hook) are left out when other words remain: を or する in a title would otherwise
 * outweigh the words that name the topic.
 *
 * Material's experimental split of kanji runs (greedy, against the same vocabulary) would
 * cut these words again (学習 -> 学 when 学 is a word): it reads the vocabulary with the
 * `in` operator only, which is answered "no" here, so it leaves the query as it is.
 */
"use strict";

/* Japanese letters, as hooks/search_index.py (JAPANESE) defines them */
const JAPANESE =
  "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff" +
  "\uf900-\ufaff\uff66-\uff9f\u3005\u3006\u3007"
const RUN = new RegExp(`([+-]?)([${JAPANESE}]+)`, "g")
const WORD = new RegExp(`^[${JAPANESE}]+$`)
const SETUP = 0  /* Material's message type for the index */
const QUERY = 2  /* Material's message type for a query */

let vocabulary = Object.create(null)  /* the index's words */
let longest = 1  /* the longest Japanese word of the index */
let functionWords = new Set()  /* left out of a query (hooks/search_index.py) */

/**
 * Cut a run of Japanese letters into the fewest words of the vocabulary. Letters that no
 * word covers cost more than any word, and neighbouring ones stay together.
 *
 * @param run - Japanese letters
 * @returns pieces, each { text, known }
 */
function cut(run) {
  const n = run.length
  const cost = new Array(n + 1).fill(Infinity)
  const from = new Array(n + 1).fill(-1)
  cost[0] = 0
  for (let i = 0; i < n; i++) {
    if (cost[i] === Infinity)
      continue
    for (let j = i + 1; j <= Math.min(n, i + longest); j++)
      if (run.slice(i, j) in vocabulary && cost[i] + 1 < cost[j]) {
        cost[j] = cost[i] + 1
        from[j] = i
      }
    if (cost[i] + 100 < cost[i + 1]) {
      cost[i + 1] = cost[i] + 100
      from[i + 1] = i
    }
  }
  const pieces = []
  for (let j = n; j > 0; j = from[j]) {
    const text = run.slice(from[j], j)
    const known = text in vocabulary
    const last = pieces[0]
    if (!known && last && !last.known)
      last.text = text + last.text
    else
      pieces.unshift({ text, known })
  }
  return pieces
}

/**
 * Rewrite a query: each Japanese run as its words (see the top of this file).
 *
 * @param query - what the reader typed
 * @returns the query Material's worker searches for
 */
function rewrite(query) {
  return query.replace(RUN, (_, presence, run) => {
    const all = cut(run)
    const topical = all.filter(({ text, known }) => !(known && functionWords.has(text)))
    const pieces = topical.length ? topical : all
    if (pieces.length === 1 && all.length === 1)
      return ` ${presence}${run} `
    const terms = pieces.map(({ text, known }, i) => {
      if (!known)
        return presence === "-" ? "" : `${text}*`
      const last = i === pieces.length - 1
      return `${presence || "+"}${text}${last && presence !== "-" ? "*" : ""}`
    })
    return ` ${terms.join(" ")} `
  })
}

/* Rewrite each query before Material's worker (registered next) reads it */
addEventListener("message", ev => {
  if (ev.data && ev.data.type === SETUP && ev.data.data && ev.data.data.config)
    functionWords = new Set(ev.data.data.config.function_words || [])
  if (ev.data && ev.data.type === QUERY && typeof ev.data.data === "string")
    ev.data.data = rewrite(ev.data.data)
})

importScripts(new URL(self.location.href).searchParams.get("worker"))

/* Keep the vocabulary of each index built, and hide it from Material's kanji split */
const build = lunr.Builder.prototype.build
lunr.Builder.prototype.build = function () {
  const index = build.call(this)
  vocabulary = index.invertedIndex
  longest = 1
  for (const word in vocabulary)
    if (word.length > longest && WORD.test(word))
      longest = word.length
  index.invertedIndex = new Proxy(vocabulary, { has: () => false })
  return index
}

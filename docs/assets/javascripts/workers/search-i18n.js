/* Search worker: Material's own worker, with accents ignored on both sides of the search.
 * The index and the query pass through the same folding step, placed before the stemmer, so
 * "cephalees" finds "céphalées" and "perche" finds "perché". The displayed text is untouched.
 * Material's worker URL (hashed) arrives after "#", from overrides/main.html. */
(function () {
  var original = decodeURIComponent(self.location.hash.slice(1));
  var target = new URL(original, self.location.href);
  if (target.origin !== self.location.origin) throw new Error("search worker must be same-origin");

  /* Stop words are left out of the query ("mal de dos" searches "mal dos"). The index has none,
   * and Material ranks a page higher when it holds every word of the query, which a page never
   * does for "de" or "di" (Material only knows the English stop words). This listener runs
   * before Material's own, registered by the script imported below, and edits the same message. */
  var languages = [];
  function isStopWord(word) {
    return languages.some(function (lang) {
      var filter = lang === "en" ? lunr.stopWordFilter : lunr[lang] && lunr[lang].stopWordFilter;
      return filter && filter(word.toLowerCase()) === undefined;
    });
  }
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (message.type === 0) languages = message.data.config.lang;  /* setup */
    if (message.type !== 2 || typeof message.data !== "string") return;  /* anything but a query */
    var words = message.data.trim().split(/\s+/);
    var kept = words.filter(function (word) { return !/^[\p{L}]+$/u.test(word) || !isStopWord(word); });
    if (kept.length) message.data = kept.join(" ");
  });

  importScripts(target.href);

  function fold(token) {
    return token.update(function (text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    });
  }
  lunr.Pipeline.registerFunction(fold, "foldDiacritics");

  function insertBeforeStemmer(pipeline) {
    var stack = pipeline._stack;
    if (stack.indexOf(fold) !== -1) return;
    var at = stack.findIndex(function (fn) { return /^stemmer/.test(fn.label || ""); });
    stack.splice(at === -1 ? stack.length : at, 0, fold);
  }
  /* Documents go through the pipeline as they are added, so fold from the first one on. */
  var add = lunr.Builder.prototype.add;
  lunr.Builder.prototype.add = function () {
    insertBeforeStemmer(this.pipeline);
    insertBeforeStemmer(this.searchPipeline);
    return add.apply(this, arguments);
  };
  /* Wildcard terms ("cephal*") skip lunr's pipeline: fold the query text itself too. */
  var search = lunr.Index.prototype.search;
  lunr.Index.prototype.search = function (query) {
    return search.call(this, typeof query === "string"
      ? query.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : query);
  };
})();

/* Search worker: Material's own worker, with accents ignored on both sides of the search.
 * The index and the query pass through the same folding step, placed before the stemmer, so
 * "cephalees" finds "céphalées" and "perche" finds "perché". The displayed text is untouched.
 * Material's worker URL (hashed) arrives after "#", from overrides/main.html. */
(function () {
  var original = decodeURIComponent(self.location.hash.slice(1));
  var target = new URL(original, self.location.href);
  if (target.origin !== self.location.origin) throw new Error("search worker must be same-origin");
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

// The form of one content file, made by JSON Editor from the file's JSON Schema. Every text is
// put in the page as text (textContent), never as HTML. The server checks every change the way
// the build does before anything is written.
(function () {
  "use strict";
  var query = new URLSearchParams(location.search);
  var file = query.get("file") || "";
  var part = query.get("part") || "";  // one item of the file (facts.12), edited on its own
  var words = document.body.dataset;
  var newFact = words.mode === "new-fact";
  var status = document.getElementById("status");
  var diff = document.getElementById("diff");
  var editor = null;
  document.getElementById("file").textContent =
    newFact ? words.title.replace("{file}", file) : file + (part ? " · " + part : "");
  if (!newFact && /\/treatments\/[^\/]+\/facts\.yaml$/.test(file)) {
    var add = document.createElement("a");
    add.href = "/add?file=" + encodeURIComponent(file);
    add.id = "add";
    add.textContent = words.add;
    document.getElementById("file").after(add);
  }

  // The pages and PDFs a save changed, each a link to the preview when it runs.
  function showChanged(items) {
    var box = document.getElementById("changed");
    box.textContent = "";
    if (!items || !items.length) { return; }
    var heading = document.createElement("p");
    heading.textContent = words.changed + (items[0].url ? "" : " " + words.nopreview);
    box.appendChild(heading);
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var entry = document.createElement("li");
      var label = "/" + item.address;
      if (item.url) {
        var link = document.createElement("a");
        link.href = item.url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = label;
        entry.appendChild(link);
      } else {
        entry.textContent = label;
      }
      list.appendChild(entry);
    });
    box.appendChild(list);
  }

  function say(text, kind) {
    status.textContent = text;
    status.className = kind || "";
  }

  function clearProblems() {
    document.querySelectorAll(".problem").forEach(function (node) { node.remove(); });
  }

  function showProblem(problem) {
    var note = document.createElement("p");
    note.className = "problem";
    note.setAttribute("role", "alert");
    note.textContent = problem.file + ":" + problem.line + ": " + problem.message;
    var field = problem.field && editor.getEditor(["root"].concat(problem.field).join("."));
    (field && field.container ? field.container : document.getElementById("problems")).appendChild(note);
  }

  // The translations a change of their source text leaves to review, with the old and new text.
  function showStale(items) {
    var box = document.getElementById("stale");
    box.textContent = "";
    if (!items.length) { return; }
    var heading = document.createElement("p");
    heading.textContent = document.body.dataset.stale;
    box.appendChild(heading);
    items.forEach(function (item) {
      var entry = document.createElement("dl");
      [[item.lang + " · " + item.text_id + " (" + item.file + ")", item.translation],
       [document.body.dataset.before, item.source_before],
       [document.body.dataset.after, item.source_after]].forEach(function (pair) {
        var term = document.createElement("dt"), value = document.createElement("dd");
        term.textContent = pair[0];
        value.textContent = pair[1];
        entry.appendChild(term);
        entry.appendChild(value);
      });
      box.appendChild(entry);
    });
  }

  function send(url) {
    clearProblems();
    diff.textContent = "";
    say(document.body.dataset.working);
    fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(newFact ? {file: file, new_fact: editor.getValue()} : {file: file, part: part, data: editor.getValue()})
    }).then(function (response) {
      return response.json().then(function (body) { return {status: response.status, body: body}; });
    }).then(function (reply) {
      var body = reply.body;
      diff.textContent = body.diff || "";
      (body.problems || []).forEach(showProblem);
      showStale(body.stale || []);
      showChanged(body.changed);
      if (body.error) { say(body.error, "bad"); }
      else if (body.problems && body.problems.length) { say(document.body.dataset.refused, "bad"); }
      else if (body.written) { say(document.body.dataset.saved, "good"); }
      else { say(body.diff ? document.body.dataset.fine : document.body.dataset.unchanged, "good"); }
    }).catch(function (error) { say(String(error), "bad"); });
  }

  Promise.all([
    fetch((newFact ? "/api/new-fact?file=" : "/api/schema?file=") + encodeURIComponent(file) +
          "&part=" + encodeURIComponent(part))
      .then(function (r) { return r.json(); }),
    newFact ? null : fetch("/api/file?file=" + encodeURIComponent(file) + "&part=" + encodeURIComponent(part))
      .then(function (r) { return r.json(); })
  ]).then(function (replies) {
    var failed = replies[0].error || (replies[1] && replies[1].error);
    if (failed) { say(failed, "bad"); return; }
    editor = new JSONEditor(document.getElementById("form"), {
      schema: replies[0].schema,
      startval: (replies[1] || replies[0]).data,
      remove_empty_properties: newFact,
      theme: "html",
      disable_edit_json: true,
      disable_collapse: true,
      disable_properties: true,
      disable_array_add: !newFact,
      disable_array_delete: !newFact,
      disable_array_reorder: true,
      disable_array_delete_all_rows: true,
      disable_array_delete_last_row: true,
      show_errors: "never",
      use_default_values: false
    });
    editor.on("ready", function () {
      var data = (replies[1] || {}).data;
      if (part && data && data.id) {  // one fact: named by its id, not its place in the file
        document.getElementById("file").textContent = file + " · " + data.id;
      }
      say(document.body.dataset.ready);
    });
    document.getElementById("check").addEventListener("click", function () { send("/api/propose"); });
    document.getElementById("save").addEventListener("click", function () { send("/api/save"); });
  });
})();

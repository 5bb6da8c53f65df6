// 百千万工程考核 portal: the little script the pages need (no inline script: the CSP forbids it).
// 1. The ruleset editor: line numbers, and the server validator's errors marked at their lines while typing; clicking an
//    error selects its line and scrolls it into view.
// 2. A run's page: its progress polled until the run ends.
// 3. Forms asking for confirmation (data-confirm).
(function () {
  "use strict";

  function token(form) {
    var field = form.querySelector('input[name="__af"]');
    return field ? field.value : "";
  }

  function setupEditor(form) {
    var textarea = form.querySelector("textarea");
    var gutter = form.querySelector(".gutter");
    var status = form.querySelector("#editor-status");
    var errorsBox = document.querySelector(".editor-errors");
    var url = form.getAttribute("data-validate-url");
    var timer = null, sequence = 0;

    function grow() {
      textarea.style.height = "auto";
      textarea.style.height = textarea.scrollHeight + "px";
    }

    function listTable(items, caption, testid) {
      var table = document.createElement("table");
      table.className = "errors";
      table.setAttribute("data-testid", testid);
      table.createCaption().textContent = caption + "（" + items.length + " 处）";
      var head = table.createTHead().insertRow();
      // A ruleset's errors carry their codes (RS1037): a column of its own, as the server renders the list.
      var coded = items.some(function (e) { return !!e.code; });
      (coded ? ["位置", "代码", "原因"] : ["位置", "原因"]).forEach(function (h) { var th = document.createElement("th"); th.scope = "col"; th.textContent = h; head.appendChild(th); });
      var body = table.createTBody();
      items.forEach(function (e) {
        var row = body.insertRow();
        row.setAttribute("data-line", e.line);
        var pos = row.insertCell(); pos.className = "pos"; pos.setAttribute("data-label", "位置");
        var code = document.createElement("code"); code.textContent = e.file + ":" + e.line + ":" + e.column; pos.appendChild(code);
        if (coded) {
          var cell = row.insertCell(); cell.className = "code"; cell.setAttribute("data-label", "代码");
          var tag = document.createElement("code"); tag.textContent = e.code || ""; cell.appendChild(tag);
        }
        var why = row.insertCell(); why.setAttribute("data-label", "原因"); why.textContent = e.message;
      });
      var wrap = document.createElement("div"); wrap.className = "table-wrap"; wrap.appendChild(table);
      return wrap;
    }

    function mark(errors, warnings) {
      var lines = textarea.value.split("\n").length;
      var byLine = {}, warnByLine = {};
      errors.forEach(function (e) { (byLine[e.line] = byLine[e.line] || []).push("第" + e.column + "列：" + e.message); });
      warnings.forEach(function (e) { (warnByLine[e.line] = warnByLine[e.line] || []).push("第" + e.column + "列：" + e.message); });
      gutter.textContent = "";
      for (var i = 1; i <= lines; i++) {
        var li = document.createElement("li");
        li.textContent = String(i);
        if (byLine[i]) { li.className = "err"; li.title = byLine[i].join("；"); }
        else if (warnByLine[i]) { li.className = "warn"; li.title = warnByLine[i].join("；"); }
        gutter.appendChild(li);
      }
      errorsBox.textContent = "";
      if (errors.length > 0) errorsBox.appendChild(listTable(errors, "校验错误", "errors"));
      if (warnings.length > 0) errorsBox.appendChild(listTable(warnings, "警告（不影响保存）", "warnings"));
      if (errors.length > 0) {
        status.className = "alert";
        status.textContent = "发现 " + errors.length + " 处错误";
      } else {
        status.className = "notice";
        status.textContent = warnings.length > 0 ? "校验通过，有 " + warnings.length + " 处警告（不影响保存）" : "校验通过";
      }
    }

    function validate() {
      var mine = ++sequence;
      var body = new URLSearchParams();
      body.set("yaml", textarea.value);
      body.set("__af", token(form));
      fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (answer) { if (mine === sequence) mark(answer.errors || [], answer.warnings || []); })
        .catch(function () { if (mine === sequence) { status.className = "hint"; status.textContent = "暂时无法校验（将在保存时校验）"; } });
    }

    textarea.addEventListener("input", function () {
      grow();
      status.className = "hint";
      status.textContent = "正在校验……";
      clearTimeout(timer);
      timer = setTimeout(validate, 500);
    });
    errorsBox.addEventListener("click", function (event) {
      var row = event.target.closest("tr[data-line]");
      if (!row) return;
      var line = parseInt(row.getAttribute("data-line"), 10), start = 0;
      var lines = textarea.value.split("\n");
      for (var i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
      textarea.focus({ preventScroll: true });
      textarea.setSelectionRange(start, start + (lines[line - 1] || "").length);
      // The textarea grows to its text and scrolls inside the editor's box, so selecting does not scroll: the line's
      // number in the gutter is at the same height, and bringing it to the middle scrolls the box and the page.
      var number = gutter.children[line - 1];
      if (number) number.scrollIntoView({ block: "center", inline: "nearest" });
    });
    grow();
  }

  function setupProgress(box) {
    var url = box.getAttribute("data-progress-url");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (p) {
          if (p.finished) { window.location.reload(); return; }
          var cards = box.querySelector("#p-cards");
          if (cards && p.scorecardsExpected !== undefined) {
            cards.max = p.scorecardsExpected; cards.value = p.scorecardsStored;
            var count = box.querySelector('[data-testid="scorecards-count"]');
            if (count) count.textContent = p.scorecardsStored + "/" + p.scorecardsExpected;
          } else if (p.scorecardsExpected !== undefined) {
            window.location.reload(); return;
          }
          setTimeout(poll, 1500);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var editor = document.querySelector("form.editor[data-validate-url]");
    if (editor) setupEditor(editor);
    var progress = document.querySelector("[data-progress-url]");
    if (progress) setupProgress(progress);
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
})();

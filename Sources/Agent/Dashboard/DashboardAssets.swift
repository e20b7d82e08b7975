/// The dashboard: plain HTML, CSS and JavaScript compiled into the binary (no build step, no CDN).
/// The page itself is public; every API call it makes sends the bearer token, which the user
/// types in (or passes as `#token=...` in the address) and which stays in the tab's sessionStorage.
enum DashboardAssets {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>cass2dynamo agent</title>
        <link rel="stylesheet" href="/dashboard/style.css">
        </head>
        <body>
        <header>
          <h1>cass2dynamo agent</h1>
          <span id="agent-info">not connected</span>
          <form id="token-form"><input id="token" type="password" placeholder="bearer token" autocomplete="off"><button>Connect</button></form>
        </header>
        <main>
          <p id="error" class="error" hidden></p>
          <section>
            <h2>Tasks</h2>
            <table id="tasks"><thead><tr><th>Task</th><th>Status</th><th>Progress</th><th>Rows</th><th>Rate</th><th>ETA</th><th></th></tr></thead><tbody></tbody></table>
          </section>
          <section id="detail" hidden>
            <h2>Task <span id="detail-name"></span></h2>
            <div id="stages"></div>
            <table id="detail-tables"><thead><tr><th>Table</th><th>Status</th><th>Progress</th><th>Rows</th><th>Bytes</th><th>Errors</th></tr></thead><tbody></tbody></table>
            <h3>Validation report</h3>
            <div id="report">not yet</div>
            <h3>Log</h3>
            <pre id="log"></pre>
          </section>
          <section>
            <h2>Nodes</h2>
            <table id="nodes"><thead><tr><th>Name</th><th>Address</th><th>User</th><th>Data directories</th><th></th></tr></thead><tbody></tbody></table>
          </section>
        </main>
        <script src="/dashboard/app.js"></script>
        </body>
        </html>
        """#

    static let style = #"""
        * { box-sizing: border-box; }
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2733; background: #f4f6f8; }
        header { display: flex; gap: 1.5em; align-items: center; padding: .8em 1.5em; background: #1d3557; color: #fff; }
        header h1 { font-size: 1.2em; margin: 0; }
        header form { margin-left: auto; display: flex; gap: .4em; }
        main { padding: 1em 1.5em; }
        section { background: #fff; border-radius: 6px; padding: .8em 1em; margin-bottom: 1em; box-shadow: 0 1px 2px #0002; }
        h2 { font-size: 1.05em; margin: .2em 0 .6em; }
        h3 { font-size: .95em; margin: .8em 0 .3em; }
        table { width: 100%; border-collapse: collapse; }
        th, td { text-align: left; padding: .35em .5em; border-bottom: 1px solid #e3e7eb; }
        tr.selected { background: #eef4fb; }
        tbody tr { cursor: pointer; }
        .bar { position: relative; width: 220px; height: 16px; background: #e3e7eb; border-radius: 8px; overflow: hidden; }
        .bar > div { height: 100%; background: #2a9d8f; transition: width .4s; }
        .bar > span { position: absolute; inset: 0; font-size: 11px; text-align: center; line-height: 16px; }
        .status { font-weight: 600; }
        .status.running, .status.stopping { color: #1d6fb8; }
        .status.completed { color: #2a7d2a; }
        .status.failed { color: #b82a2a; }
        .status.stopped, .status.interrupted { color: #9a6b00; }
        button { padding: .25em .7em; border: 1px solid #8895a3; border-radius: 4px; background: #fff; cursor: pointer; }
        button.stop { border-color: #b87a00; } button.delete { border-color: #b82a2a; }
        pre { background: #0f1720; color: #d6e2ee; padding: .6em; max-height: 16em; overflow: auto; font-size: 12px; }
        .error { color: #b82a2a; font-weight: 600; }
        .ok { color: #2a7d2a; } .bad { color: #b82a2a; }
        .stage { display: inline-block; margin-right: .8em; }
        """#

    static let script = "\"use strict\";\n" + statusConstants + scriptBody

    private static let scriptBody = #"""
        const state = { token: null, selected: null, logOffset: 0, logFor: null };
        const $ = (s) => document.querySelector(s);
        const fmt = (n) => n == null ? "" : Number(n).toLocaleString("en-US");
        const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));

        function readToken() {
          const s = new URLSearchParams(location.search).get("task");
          if (s) state.selected = s;
          const m = location.hash.match(/token=([^&]+)/);
          if (m) { sessionStorage.setItem("c2d-token", decodeURIComponent(m[1])); history.replaceState(null, "", location.pathname + location.search); }
          state.token = sessionStorage.getItem("c2d-token");
        }

        async function api(method, path) {
          const r = await fetch(path, { method, headers: { Authorization: "Bearer " + state.token } });
          if (!r.ok) {
            let msg = r.status + " " + r.statusText;
            try { const j = await r.json(); if (j.error && j.error.message) msg = j.error.message; } catch (e) {}
            throw new Error(msg);
          }
          if (r.status === 204) return null;
          const type = r.headers.get("content-type") || "";
          return type.includes("json") ? r.json() : r.text();
        }

        function bar(done, total, status) {
          let pct = total > 0 ? Math.min(100, Math.round(100 * done / total)) : (status === TaskStatus.completed || status === StepStatus.done ? 100 : 0);
          return `<div class="bar"><div style="width:${pct}%"></div><span>${pct}%</span></div>`;
        }

        function totals(t) {
          let rows = 0, est = 0, rate = 0, eta = 0;
          for (const x of t.tables) { rows += x.rows; est += x.estimatedRows || 0; if (x.status !== StepStatus.running) continue; rate += x.rowsPerSecond || 0; eta = Math.max(eta, x.etaSeconds || 0); }
          return { rows, est, rate, eta };
        }

        // Rows and cells are updated in place, only where their content changed, so a button is
        // not replaced under the pointer while the table refreshes every second.
        function renderTasks(tasks) {
          const body = $("#tasks tbody");
          if (!tasks.length) { body.innerHTML = `<tr><td colspan="7">No tasks.</td></tr>`; return; }
          for (const tr of [...body.children]) if (!tr.dataset.id || !tasks.some((t) => t.id === tr.dataset.id)) tr.remove();
          tasks.forEach((t, i) => {
            const s = totals(t);
            const running = t.status === TaskStatus.running;
            const startable = STARTABLE.includes(t.status);
            const cells = [`${esc(t.name)}<br><small>${esc(t.id)}</small>`, t.status, bar(s.rows, s.est, t.status),
              `${fmt(s.rows)}${s.est ? " / ~" + fmt(s.est) : ""}`, s.rate ? fmt(Math.round(s.rate)) + " rows/s" : "",
              running && s.eta ? Math.round(s.eta) + " s" : "",
              (startable ? `<button class="start" data-act="${t.status === TaskStatus.created ? "start" : "resume"}">${t.status === TaskStatus.created ? "Start" : "Resume"}</button> ` : "") +
              (running ? `<button class="stop" data-act="stop">Stop</button> ` : "") +
              (!running && t.status !== TaskStatus.stopping ? `<button class="delete" data-act="delete">Delete</button>` : "")];
            let tr = body.querySelector(`tr[data-id="${CSS.escape(t.id)}"]`);
            if (!tr) {
              tr = document.createElement("tr");
              tr.dataset.id = t.id;
              tr.innerHTML = cells.map(() => "<td></td>").join("");
              tr.children[1].className = "status";
            }
            if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] || null);
            tr.className = t.id === state.selected ? "selected" : "";
            tr.children[1].className = `status ${t.status}`;
            cells.forEach((html, j) => { if (tr.children[j].dataset.html !== html) { tr.children[j].innerHTML = html; tr.children[j].dataset.html = html; } });
          });
        }

        function renderDetail(t) {
          $("#detail").hidden = !t;
          if (!t) return;
          $("#detail-name").textContent = `${t.name} (${t.status})`;
          $("#stages").innerHTML = t.stages.map((s) => `<span class="stage">${esc(s.name)}: <b>${esc(s.status)}</b>${s.message ? " – " + esc(s.message) : ""}</span>`).join("");
          $("#detail-tables tbody").innerHTML = t.tables.map((x) => `<tr><td>${esc(x.keyspace ? x.keyspace + "." + x.table : x.table)}</td><td>${esc(x.phase ? x.phase + ": " + x.status : x.status)}</td>
            <td>${bar(x.rows, x.estimatedRows, x.status)}</td><td>${fmt(x.rows)}</td><td>${fmt(x.bytes)}</td><td>${esc(x.errors.join("; "))}</td></tr>`).join("");
          const r = t.report;
          $("#report").innerHTML = r ? `<table><tr><th>DynamoDB table</th><th>Staged items</th><th>Items found</th><th>Missing</th><th>Unexpected</th><th>Different</th><th></th></tr>` +
            r.map((x) => `<tr><td>${esc(x.table)}</td><td>${fmt(x.expectedItems)}</td><td>${fmt(x.targetItems)}</td><td>${fmt(x.missingCount)}</td><td>${fmt(x.unexpectedCount)}</td><td>${fmt(x.differentCount)}</td><td class="${x.match ? "ok" : "bad"}">${x.match ? "OK" : "MISMATCH"}</td></tr>`).join("") + `</table>` : "not yet";
          if (t.error) $("#report").innerHTML += `<p class="error">${esc(t.error)}</p>`;
        }

        async function refresh() {
          if (!state.token) { $("#agent-info").textContent = "enter the agent's token"; return; }
          try {
            const [info, tasks, nodes] = await Promise.all([api("GET", "/v1/agent"), api("GET", "/v1/tasks"), api("GET", "/v1/nodes")]);
            $("#error").hidden = true;
            $("#agent-info").textContent = `v${info.version} on ${info.hostname} · ${info.pipeline} · free disk ${info.freeDiskBytes != null ? (info.freeDiskBytes / 2 ** 30).toFixed(1) + " GiB" : "?"}`;
            renderTasks(tasks);
            renderDetail(tasks.find((t) => t.id === state.selected));
            $("#nodes tbody").innerHTML = nodes.length ? nodes.map((n) => `<tr><td>${esc(n.name)}</td><td>${esc(n.host)}:${n.port || 22}</td><td>${esc(n.user)}</td>
              <td>${esc((n.dataDirectories || []).join(", ") || n.cassandraYaml)}</td><td><button data-node="${esc(n.name)}">Test</button></td></tr>`).join("") : `<tr><td colspan="5">No nodes.</td></tr>`;
            if (state.selected) {
              if (state.logFor !== state.selected) { state.logFor = state.selected; state.logOffset = 0; $("#log").textContent = ""; }
              const text = await api("GET", `/v1/tasks/${state.selected}/log?offset=${state.logOffset}`);
              state.logOffset += new TextEncoder().encode(text).length;
              $("#log").textContent += text;
            }
          } catch (e) {
            $("#error").hidden = false;
            $("#error").textContent = e.message;
          }
        }

        document.addEventListener("click", async (ev) => {
          const b = ev.target.closest("button");
          const tr = ev.target.closest("#tasks tbody tr");
          try {
            if (b && b.dataset.act && tr) {
              const id = tr.dataset.id, act = b.dataset.act;
              if (act === "delete") await api("DELETE", `/v1/tasks/${id}?removeStaging=true`);
              else await api("POST", `/v1/tasks/${id}/${act}`);
            } else if (b && b.dataset.node) {
              const r = await api("POST", `/v1/nodes/${b.dataset.node}/test`);
              alert(`${r.node}: reachable, ${r.dataDirectories.length} data directories, keyspaces ${r.keyspaces.join(", ")}, Cassandra ${r.cassandraVersion || "?"}`);
            } else if (tr) {
              state.selected = tr.dataset.id;
            }
          } catch (e) { $("#error").hidden = false; $("#error").textContent = e.message; }
          refresh();
        });

        $("#token-form").addEventListener("submit", (ev) => {
          ev.preventDefault();
          sessionStorage.setItem("c2d-token", $("#token").value.trim());
          $("#token").value = "";
          readToken();
          refresh();
        });

        readToken();
        refresh();
        setInterval(refresh, 1000);
        """#
}

import Agent
import Foundation
import Migration
import TestSupport
import Testing

/// The dashboard in headless Chromium, driven by selenium through chromedriver (Debian `chromium`,
/// `chromium-driver`; PyPI `selenium`): over HTTPS with the token, it lists the tasks, shows a
/// running task's progress moving, and its Stop button stops the task at a checkpoint.
/// Skipped when those are missing, except in CI (`scripts/setup --test` installs them).
/// Set `DASHBOARD_SCREENSHOTS=DIR` to keep the screenshots.
let chromedriver = "/usr/bin/chromedriver"
let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
let dashboardBrowserPresent = chromium != nil && FileManager.default.isExecutableFile(atPath: chromedriver)
    && (try? runProgramBlocking("python3", ["-c", "import selenium"]))?.status == 0

@Suite(.enabled(if: sharedSSTablesPresent),
       .enabled(if: dashboardBrowserPresent || TestPaths.isCI, "needs chromium, chromium-driver (Debian) and selenium (PyPI): scripts/setup --test installs them"))
struct DashboardBrowserTests {

    @Test func dashboardListsTasksShowsProgressAndStops() async throws {
        let chromium = try #require(chromium, "needs chromium: scripts/setup --test installs it")
        // Server TLS and the token, as in production; the browser has no client certificate.
        let (data, _, total) = try await generateCounters(rows: 300, seed: 16)
        let agent = try await RunningAgent(dataDirectories: [data.path], mutualTLS: false)
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client(cert: false)
            try await finally({ try await c.shutdown() }) { () async throws in
                let source = TaskSource(path: data.path + "/stats", schemaFile: data.path + "/schema.cql")
                let quick = try await c.createTask(TaskSpec(name: "quick run", source: source))
                try await c.startTask(quick.id)
                _ = try await waitFor(30, { try await c.task(quick.id) }, until: { $0.status == .completed })
                // Some 250 rows at 5 rows/s: about 50 s, long enough to watch and stop even on a busy machine.
                let slow = try await c.createTask(TaskSpec(name: "slow run", source: source, rowsPerSecond: 5))
                try await c.startTask(slow.id)

                let shots = ProcessInfo.processInfo.environment["DASHBOARD_SCREENSHOTS"] ?? TestPaths.temporaryFolder("dashboard")
                try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
                let out = try await MotoServer.runPython(Self.script, environment: [
                    "URL": "\(agent.url)/dashboard/?task=\(slow.id)#token=\(agent.token)", "SLOW": slow.id, "QUICK": quick.id,
                    "SHOTS": shots, "CHROMIUM": chromium, "CHROMEDRIVER": chromedriver,
                ])
                struct Seen: Decodable {
                    var names: [String]
                    var statuses: [String]
                    var progress: [Int]
                    var afterStop: String
                    var report: String
                    var log: String
                }
                let seen = try JSONDecoder().decode(Seen.self, from: out)
                #expect(seen.names == ["quick run", "slow run"])
                #expect(seen.statuses == ["completed", "running"])
                // Two readings of the running task's bar, the second further along.
                #expect(seen.progress.count == 2 && seen.progress[0] < seen.progress[1] && seen.progress[1] < 100, "\(seen.progress)")
                #expect(seen.afterStop == "stopped")
                #expect(seen.log.contains("extract stats.page_views: start"), "\(seen.log)")
                // The selected task's detail shows its validation report once a task is complete.
                #expect(seen.report.contains("not yet"))
                let stopped = try await c.task(slow.id)
                #expect(stopped.status == .stopped)
                let rows = stopped.tables.first { $0.phase == .extract }?.rows ?? 0
                #expect(rows > 0 && rows < total, "\(rows) of \(total)")
                for name in ["1-running.png", "2-stopped.png", "3-completed-report.png"] {
                    let png = FileManager.default.contents(atPath: "\(shots)/\(name)") ?? Data()
                    #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name)")
                }
            }
        }
    }

    /// Reads the page as a user sees it; prints what it saw as JSON.
    static let script = #"""
        import json, os
        from selenium import webdriver
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        options = webdriver.ChromeOptions()
        options.binary_location = os.environ["CHROMIUM"]
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--ignore-certificate-errors", "--window-size=1280,900"]:
            options.add_argument(a)
        driver = webdriver.Chrome(service=Service(os.environ["CHROMEDRIVER"]), options=options)
        try:
            wait = WebDriverWait(driver, 45, poll_frequency=0.1, ignored_exceptions=[StaleElementReferenceException])
            slow, quick, shots = os.environ["SLOW"], os.environ["QUICK"], os.environ["SHOTS"]
            driver.get(os.environ["URL"])
            # The task rows as shown: name, status, the bar's percentage.
            def rows():
                return driver.execute_script("""
                    return [...document.querySelectorAll('#tasks tbody tr[data-id]')].map((tr) => ({
                      id: tr.dataset.id, name: tr.children[0].innerText.split('\\n')[0], status: tr.children[1].innerText,
                      percent: parseInt(tr.querySelector('.bar span').innerText) }));""")
            def task(i):
                return next((r for r in rows() if r["id"] == i), None)
            wait.until(lambda d: len(rows()) == 2 and task(slow)["status"] == "running" and task(slow)["percent"] > 0)
            seen = rows()
            first = task(slow)["percent"]
            wait.until(lambda d: task(slow)["percent"] > first)
            second = task(slow)["percent"]
            wait.until(lambda d: "extract stats.page_views: start" in d.find_element(By.ID, "log").text)
            log = driver.find_element(By.ID, "log").text
            report = driver.find_element(By.ID, "report").text
            driver.save_screenshot(f"{shots}/1-running.png")
            driver.find_element(By.CSS_SELECTOR, f'#tasks tbody tr[data-id="{slow}"] button.stop').click()
            wait.until(lambda d: task(slow)["status"] == "stopped")
            after = task(slow)["status"]
            driver.save_screenshot(f"{shots}/2-stopped.png")
            driver.find_element(By.CSS_SELECTOR, f'#tasks tbody tr[data-id="{quick}"] td').click()
            wait.until(lambda d: "OK" in d.find_element(By.ID, "report").text)
            driver.save_screenshot(f"{shots}/3-completed-report.png")
            print(json.dumps({"names": [r["name"] for r in seen], "statuses": [r["status"] for r in seen],
                              "progress": [first, second], "afterStop": after, "report": report, "log": log}))
        except Exception as e:
            raise SystemExit(f"{type(e).__name__} {e}; the page shows: {driver.find_element(By.TAG_NAME, 'body').text[:1500]}")
        finally:
            driver.quit()
        """#
}

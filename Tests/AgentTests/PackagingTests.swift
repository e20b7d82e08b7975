import Agent
import Foundation
import TestSupport
import Testing

/// `packaging/`: the .deb the script builds (with the test's binary instead of a release build),
/// the settings its postinst writes, and the systemd unit as systemd reads it.
@Suite("Packaging", .enabled(if: which("dpkg-deb") != nil || TestPaths.isCI))
struct PackagingTests {
    static let root = TestPaths.packageRoot.path

    @Test func debHoldsTheBinaryTheUnitAndTheDocs() async throws {
        let binary = try TestPaths.binary()
        let dist = TempDir()
        // A stand-in binary keeps dpkg-deb's compression quick; the layout is what is checked.
        let stub = dist.path + "/cass2dynamo"
        try "#!/bin/sh\necho cass2dynamo stand-in\n".write(toFile: stub, atomically: true, encoding: .utf8)
        let built = try await runProgram(Self.root + "/packaging/build-deb.sh", ["9.8.7"], environment: ["CASS2DYNAMO_BIN": stub, "DIST": dist.path])
        #expect(built.status == 0, "\(built.text)\(built.stderr)")
        let arch = try await runProgram("dpkg", ["--print-architecture"]).text.trimmingCharacters(in: .whitespacesAndNewlines)
        let deb = "\(dist.path)/cass2dynamo_9.8.7_\(arch).deb"
        #expect(FileManager.default.fileExists(atPath: deb))
        let info = try await runProgram("dpkg-deb", ["--info", deb]).text
        #expect(info.contains("Package: cass2dynamo") && info.contains("Version: 9.8.7") && info.contains("openssh-client"), "\(info)")
        let contents = try await runProgram("dpkg-deb", ["--contents", deb]).text
        for path in ["./usr/bin/cass2dynamo", "./lib/systemd/system/cass2dynamo-agent.service", "./usr/share/doc/cass2dynamo/agent.md",
                     "./usr/share/doc/cass2dynamo/agent-api.md", "./usr/share/doc/cass2dynamo/agent-openapi.yaml"] {
            #expect(contents.contains(path), "\(path) in \(contents)")
        }
        #expect(contents.contains("-rwxr-xr-x root/root") && contents.contains("./usr/bin/cass2dynamo"))

        // The postinst: valid shell; its settings rewrite, applied to what `agent init` writes,
        // gives settings that load, with state and staging under /var/lib/cass2dynamo.
        let unpacked = dist.path + "/unpacked"
        #expect(try await runProgram("dpkg-deb", ["--raw-extract", deb, unpacked]).status == 0)
        let postinst = readFile(unpacked + "/DEBIAN/postinst")
        #expect(try await runProgram("sh", ["-n", unpacked + "/DEBIAN/postinst"]).status == 0)
        #expect(postinst.contains("agent init --dir /etc/cass2dynamo --generate-certs"))
        let sed = try #require(postinst.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("sed -i") })
        let etc = TempDir()
        let initialized = try await runProgram(binary, ["agent", "init", "--dir", etc.path, "--generate-certs"])
        #expect(initialized.status == 0, "\(initialized.stderr)")
        let rewrite = sed.replacingOccurrences(of: "/etc/cass2dynamo/agent-settings.yaml", with: etc.path + "/agent-settings.yaml")
        #expect(try await runProgram("sh", ["-c", String(rewrite)]).status == 0)
        let loaded = try LoadedSettings.load(path: etc.path + "/agent-settings.yaml")
        #expect(loaded.stateDirectory == "/var/lib/cass2dynamo/state" && loaded.stagingDirectory == "/var/lib/cass2dynamo/staging")
        #expect(loaded.settings.port == 8080 && loaded.resolve(loaded.settings.tls.clientCA ?? "") == etc.path + "/tls/ca.pem")
    }

    /// `systemd-analyze verify` on the unit, its ExecStart pointed at the built binary.
    @Test(.enabled(if: which("systemd-analyze") != nil))
    func systemdUnitVerifies() async throws {
        let binary = try TestPaths.binary()
        let dir = TempDir()
        let unit = readFile(Self.root + "/packaging/cass2dynamo-agent.service")
        #expect(unit.contains("ExecStart=/usr/bin/cass2dynamo agent serve --config /etc/cass2dynamo/agent-settings.yaml"))
        #expect(unit.contains("StandardError=journal") && unit.contains("NoNewPrivileges=yes") && unit.contains("User=cass2dynamo"))
        try unit.replacingOccurrences(of: "/usr/bin/cass2dynamo", with: binary)
            .write(toFile: dir.path + "/cass2dynamo-agent.service", atomically: true, encoding: .utf8)
        let verified = try await runProgram("systemd-analyze", ["verify", dir.path + "/cass2dynamo-agent.service"])
        #expect(verified.status == 0 && verified.stderr.isEmpty, "\(verified.text)\(verified.stderr)")
    }
}

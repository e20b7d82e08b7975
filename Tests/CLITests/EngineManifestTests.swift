import Foundation
import TestSupport
import Testing
import Yams

/// `packaging/kubernetes` and `packaging/aws-batch`, without a cluster or a container engine (there
/// is none here): the manifests are validated against the Kubernetes API schema and botocore's
/// model of the Batch API, and each pod's or job's exact command line is run as a local process of
/// the built binary against moto, the index variable set as the engine sets it, with the
/// credentials the engine gives (web identity for IRSA, a container credentials endpoint for a
/// Batch job role). Substituted: the volumes' mount paths by local folders, the AWS endpoint by
/// moto's. The table read back with boto3 is compared with the generator's expected rows.
@Suite(.serialized)
struct EngineManifestTests {
    static let kubernetes = TestPaths.packageRoot.path + "/packaging/kubernetes"
    static let batch = TestPaths.packageRoot.path + "/packaging/aws-batch"
    /// The Kubernetes version the manifests are checked against (EKS's standard support, 2025–2026).
    static let kubernetesVersion = "1.33.0"

    static let kubernetesValidate = which("kubernetes-validate")
    static let botocoreInstalled = (try? runProgramBlocking("python3", ["-c", "import botocore"]))?.status == 0

    // MARK: Schemas

    /// Every manifest passes `kubernetes-validate --strict` (unknown fields refused); a Job with a
    /// misspelt field does not, so the check is not vacuous.
    @Test(.enabled(if: EngineManifestTests.kubernetesValidate != nil || TestPaths.isCI, "needs kubernetes-validate (pip install kubernetes-validate==1.34.1)"))
    func kubernetesManifestsMatchTheAPISchema() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.kubernetes).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == ["configmap.yaml", "finish-job.yaml", "serviceaccount.yaml", "shares-job.yaml"])
        let validated = try await Self.validateKubernetes(files.map { Self.kubernetes + "/" + $0 })
        #expect(validated.status == 0, "\(validated.text)\(validated.stderr)")
        for file in files {
            #expect(validated.text.contains("\(file) passed for resource") || validated.stderr.contains("\(file) passed for resource"),
                    "\(validated.text)\(validated.stderr)")
        }

        let broken = TempDir("k8s-broken")
        let job = readFile(Self.kubernetes + "/shares-job.yaml").replacingOccurrences(of: "  backoffLimitPerIndex: 2\n", with: "  backoffLimitPerIndexes: 2\n")
        try job.write(toFile: broken.path + "/shares-job.yaml", atomically: true, encoding: .utf8)
        let refused = try await Self.validateKubernetes([broken.path + "/shares-job.yaml"])
        #expect(refused.status != 0 && (refused.text + refused.stderr).contains("backoffLimitPerIndexes"), "\(refused.text)\(refused.stderr)")
    }

    static func validateKubernetes(_ paths: [String]) async throws -> ProgramResult {
        let tool = try #require(kubernetesValidate, "kubernetes-validate is not on PATH (pip install kubernetes-validate==1.34.1)")
        return try await runProgram(tool, ["--kubernetes-version", kubernetesVersion, "--strict"] + paths)
    }

    /// The job definition is a valid `RegisterJobDefinition` request and both submissions valid
    /// `SubmitJob` requests in botocore's model; a wrong type is refused, naming the member.
    @Test(.enabled(if: EngineManifestTests.botocoreInstalled || TestPaths.isCI, "needs botocore (pip install boto3)"))
    func batchRequestsMatchBotocoresModel() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.batch).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files == ["job-definition.json", "submit-finish.json", "submit-shares.json"])
        for (file, operation) in [("job-definition.json", "RegisterJobDefinition"), ("submit-shares.json", "SubmitJob"), ("submit-finish.json", "SubmitJob")] {
            let result = try await Self.validateBatch(operation, Self.batch + "/" + file)
            #expect(result.status == 0 && result.text.contains("\(file): OK (batch \(operation)"), "\(result.text)\(result.stderr)")
        }
        let broken = TempDir("batch-broken")
        let definition = readFile(Self.batch + "/job-definition.json").replacingOccurrences(of: "\"attempts\": 3", with: "\"attempts\": \"3\"")
        try definition.write(toFile: broken.path + "/job-definition.json", atomically: true, encoding: .utf8)
        let refused = try await Self.validateBatch("RegisterJobDefinition", broken.path + "/job-definition.json")
        #expect(refused.status == 1 && refused.stderr.contains("Invalid type for parameter retryStrategy.attempts"), "\(refused.stderr)")
    }

    static func validateBatch(_ operation: String, _ path: String) async throws -> ProgramResult {
        try await runProgram(TestPaths.packageRoot.path + "/scripts/validate-aws-input", ["batch", operation, path])
    }

    // MARK: Runs against moto

    /// The Indexed Job's pods (index 0…N−1, `parallelism` at a time) and then the finish Job, with
    /// IRSA's web identity credentials from moto's STS.
    @Test(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"))
    func kubernetesJobsRunAgainstMoto() async throws {
        let k8s = try KubernetesManifests()
        let shares = k8s.shares, finish = k8s.finish
        #expect(k8s.completionMode == "Indexed" && k8s.parallelism >= 1 && k8s.parallelism <= k8s.completions)
        #expect(shares.option("--token-share-from-env") == "JOB_COMPLETION_INDEX/\(k8s.completions)")
        #expect(finish.option("--shares") == String(k8s.completions) && finish.option("--s3") == shares.option("--s3"))
        #expect(finish.option("--mode") == "import" && shares.option("--mode") == "import")

        let table = try await GeneratedTable.make()
        let folder = TempDir("k8s-run")
        let config = try k8s.writeConfigMap(to: folder.path + "/config")
        let tokenFile = folder.path + "/token"
        try "eyJhbGciOiJSUzI1NiJ9.projectedServiceAccountToken.signature".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await MotoServer.with { moto in
            // What EKS's pod identity webhook adds to every pod of the service account.
            let irsa = ["AWS_ROLE_ARN": k8s.roleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_STS_REGIONAL_ENDPOINTS": "regional"]
            let local = LocalEngine(moto: moto, snapshot: table.snapshot, config: config, credentials: irsa)
            try await local.createBucket(of: shares)
            for wave in stride(from: 0, to: k8s.completions, by: k8s.parallelism) {
                try await withThrowingTaskGroup(of: (Int, ProgramResult).self) { group in
                    for index in wave..<min(wave + k8s.parallelism, k8s.completions) {
                        group.addTask { (index, try await local.run(shares, index: ("JOB_COMPLETION_INDEX", index))) }
                    }
                    for try await (index, result) in group {
                        #expect(result.status == 0 && result.text.contains("staged share \(index + 1)-of-\(k8s.completions)"),
                                "pod \(index): \(result.stderr)\(result.text)")
                        #expect(LocalEngine.stagedRows(result.text, table: k8s.tableName) ?? 0 > 0, "pod \(index): \(result.text)")
                    }
                }
            }
            #expect(try await local.tableNames() == "[]", "import mode: the shares create no table")
            let finished = try await local.run(finish)
            #expect(finished.status == 0 && finished.text.contains("\(k8s.tableName): OK"), "\(finished.stderr)\(finished.text)")
            let check = try await moto.checkTable(table: k8s.tableName, keys: ["sensor_id", "ts"], timestamps: ["ts"], expectedFile: table.expected)
            #expect(check == "OK \(table.rows)", "\(check)")
        }
    }

    /// The array job's children (AWS_BATCH_JOB_ARRAY_INDEX 0…size−1) and then the finish job
    /// (the same definition, its command overridden), with the job role's credentials from a
    /// container credentials endpoint.
    @Test(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"))
    func batchArrayJobRunsAgainstMoto() async throws {
        let batch = try BatchManifests()
        let shares = batch.shares, finish = batch.finish
        #expect(batch.size >= 2 && shares.option("--token-share-from-env") == "AWS_BATCH_JOB_ARRAY_INDEX/\(batch.size)")
        #expect(finish.option("--shares") == String(batch.size) && finish.option("--s3") == shares.option("--s3"))
        #expect(batch.finishDependsOn == [["jobId": "${ARRAY_JOB_ID}"]], "a standard dependency on the whole array job")
        #expect(batch.jobRoleARN.hasPrefix("arn:aws:iam::"))

        let table = try await GeneratedTable.make()
        let folder = TempDir("batch-run")
        // The job's config volume holds the same two files as the Kubernetes ConfigMap.
        let config = try KubernetesManifests().writeConfigMap(to: folder.path + "/config")
        let tokenFile = folder.path + "/authorization"
        try "containerAuthorizationToken".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await CredentialsEndpoint.with(expectedTokenFile: tokenFile) { endpoint in
            try await MotoServer.with { moto in
                // Batch's ECS agent gives a job role as AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on
                // 169.254.170.2; here the same protocol on loopback.
                let role = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": endpoint.url + "/v2/credentials/job-role",
                            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile]
                let local = LocalEngine(moto: moto, snapshot: table.snapshot, config: config, credentials: role)
                let tableName = try KubernetesManifests().tableName
                try await local.createBucket(of: shares)
                for index in 0..<batch.size {
                    let result = try await local.run(shares, index: ("AWS_BATCH_JOB_ARRAY_INDEX", index))
                    #expect(result.status == 0 && result.text.contains("staged share \(index + 1)-of-\(batch.size)"),
                            "child \(index): \(result.stderr)\(result.text)")
                    #expect(LocalEngine.stagedRows(result.text, table: tableName) ?? 0 > 0, "child \(index): \(result.text)")
                }
                let finished = try await local.run(finish)
                #expect(finished.status == 0 && finished.text.contains("\(tableName): OK"), "\(finished.stderr)\(finished.text)")
                let check = try await moto.checkTable(table: tableName, keys: ["sensor_id", "ts"], timestamps: ["ts"], expectedFile: table.expected)
                #expect(check == "OK \(table.rows)", "\(check)")
            }
            #expect(endpoint.requests.count >= batch.size + 1 && endpoint.requests.allSatisfy { $0 == "GET /v2/credentials/job-role auth=containerAuthorizationToken" },
                    "\(endpoint.requests)")
        }
    }

    /// A worker started without its index variable (outside an indexed job) stops at once: a
    /// usage error (64) whose one error line names the variable.
    @Test func aMissingIndexVariableIsAUsageErrorNamingIt() async throws {
        let folder = TempDir("no-index")
        _ = try KubernetesManifests().writeConfigMap(to: folder.path + "/config")
        try FileManager.default.createDirectory(atPath: folder.path + "/data", withIntermediateDirectories: true)
        let workers = [(try KubernetesManifests().shares, "JOB_COMPLETION_INDEX"), (try BatchManifests().shares, "AWS_BATCH_JOB_ARRAY_INDEX")]
        for (container, variable) in workers {
            let arguments = container.arguments.map { argument in
                container.mounts.keys.reduce(argument) { text, mount in
                    text == mount || text.hasPrefix(mount + "/") ? folder.path + text : text
                }
            }
            let result = try await runProgram(try TestPaths.binary(), arguments, environment: container.environment.merging([
                "JOB_COMPLETION_INDEX": "", "AWS_BATCH_JOB_ARRAY_INDEX": "", "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret",
            ]) { $1 })
            let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
            #expect(result.status == 64 && errors == ["Error: --token-share-from-env: \(variable) is not set (Kubernetes Indexed Jobs set JOB_COMPLETION_INDEX, AWS Batch array jobs AWS_BATCH_JOB_ARRAY_INDEX)"],
                    "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder.path + "/scratch"), "nothing staged")
        }
    }
}

/// A container as an engine starts it: the arguments after the image's entrypoint, the
/// environment the manifest sets, and each mount path's volume.
struct EngineContainer: Sendable {
    var arguments: [String]
    var environment: [String: String]
    var mounts: [String: LocalVolume]

    /// The value after `name` in the arguments.
    func option(_ name: String) -> String? {
        guard let at = arguments.firstIndex(of: name), at + 1 < arguments.count else { return nil }
        return arguments[at + 1]
    }
}

/// What a volume holds, and so which local folder stands for it.
enum LocalVolume: Sendable {
    /// The copy of the snapshot's SSTables (a PVC; an EFS folder).
    case snapshot
    /// mapping.yaml and schema.cql (the ConfigMap; an EFS folder).
    case config
    /// Scratch space lost with the pod (emptyDir; a Docker volume).
    case scratch
}

/// A table `cass2dynamo generate` wrote, laid out as a snapshot copy (`<keyspace>/<table>-<id>/`),
/// with its expected rows beside it (not in the snapshot).
struct GeneratedTable: Sendable {
    let dir: TempDir
    var snapshot: String { dir.path + "/snapshot" }
    var expected: String { dir.path + "/expected/iot.readings.jsonl" }
    var rows: Int { readFile(expected).split(separator: "\n").count }

    /// 6,000 rows make 5,050 live ones in partitions of every quarter of the ring (seed 1), so
    /// each of 4 shares stages some. TTLs are judged at the time of the run (the manifests give no --now): the generator's
    /// writes are 30 days old with TTLs of 14, 180 or 365 days, so none expires near now and the
    /// expected rows judged now hold for the run.
    static func make() async throws -> GeneratedTable {
        let dir = TempDir("engine-table")
        let now = String(Int(Date().timeIntervalSince1970))
        let result = try await runProgram(try TestPaths.binary(), ["generate", "--profile", "iot", "--rows", "6000", "--sstables", "2",
                                                                   "--out", dir.path, "--now", now])
        try #require(result.status == 0, "\(result.stderr)")
        try FileManager.default.createDirectory(atPath: dir.path + "/snapshot", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: dir.path + "/iot", toPath: dir.path + "/snapshot/iot")
        return GeneratedTable(dir: dir)
    }
}

/// Runs engine containers as local processes against moto.
struct LocalEngine: Sendable {
    let moto: MotoServer
    let snapshot: String
    let config: String
    /// The variables the engine adds for the pod's or job's AWS role.
    let credentials: [String: String]

    /// Runs `container` with `index` set as the engine sets it; every mount path in its arguments
    /// becomes the local folder standing for the volume (a fresh one for scratch space), and AWS
    /// calls go to moto. No other credentials are reachable: the test process's `AWS_*` variables
    /// are blanked and HOME has no `~/.aws`.
    func run(_ container: EngineContainer, index: (variable: String, value: Int)? = nil) async throws -> ProgramResult {
        let pod = TempDir("engine-pod")
        var folders: [(mount: String, local: String)] = []
        for (mount, volume) in container.mounts {
            switch volume {
            case .snapshot: folders.append((mount, snapshot))
            case .config: folders.append((mount, config))
            case .scratch: folders.append((mount, pod.path + "/scratch"))
            }
        }
        folders.sort { $0.mount.count > $1.mount.count }
        let arguments = container.arguments.map { argument in
            guard let folder = folders.first(where: { argument == $0.mount || argument.hasPrefix($0.mount + "/") }) else { return argument }
            return folder.local + argument.dropFirst(folder.mount.count)
        }
        var environment: [String: String] = [:]
        for name in ProcessInfo.processInfo.environment.keys where name.hasPrefix("AWS_") { environment[name] = "" }
        environment["HOME"] = pod.path
        environment.merge(container.environment) { $1 }
        environment.merge(credentials) { $1 }
        environment["AWS_ENDPOINT_URL"] = moto.url
        if let index { environment[index.variable] = String(index.value) }
        return try await runProgram(try Self.entrypoint(), arguments, environment: environment)
    }

    /// The built binary, where the image's entrypoint (packaging/Dockerfile) is the installed one.
    static func entrypoint() throws -> String {
        let dockerfile = readFile(TestPaths.packageRoot.path + "/packaging/Dockerfile")
        let line = try #require(dockerfile.split(separator: "\n").last { $0.hasPrefix("ENTRYPOINT ") })
        let form = try JSONSerialization.jsonObject(with: Data(line.dropFirst("ENTRYPOINT ".count).utf8)) as? [String]
        try #require(form == ["/usr/bin/cass2dynamo"], "the image's entrypoint must be the binary alone, the manifests give its arguments: \(line)")
        return try TestPaths.binary()
    }

    /// Creates the bucket of the container's `--s3` in moto.
    func createBucket(of container: EngineContainer) async throws {
        let s3 = try #require(container.option("--s3"))
        let bucket = try #require(s3.dropFirst("s3://".count).split(separator: "/").first)
        _ = try await moto.boto3("s3.create_bucket(Bucket='\(bucket)')")
    }

    /// The rows column of the run's summary line for `table`.
    static func stagedRows(_ text: String, table: String) -> Int? {
        for line in text.split(separator: "\n") {
            let columns = line.split(separator: " ")
            if columns.count > 1 && columns[0] == table { return Int(columns[1]) }
        }
        return nil
    }

    func tableNames() async throws -> String {
        String(decoding: try await moto.boto3("print(ddb.list_tables()['TableNames'])"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// packaging/kubernetes, read with Yams.
struct KubernetesManifests {
    let shares: EngineContainer
    let finish: EngineContainer
    let completionMode: String
    let completions: Int
    let parallelism: Int
    /// The IAM role of the service account (IRSA's annotation).
    let roleARN: String
    /// The ConfigMap's files.
    let configFiles: [String: String]
    /// The DynamoDB table the ConfigMap's mapping names.
    let tableName: String

    init() throws {
        let account = try Self.load("serviceaccount.yaml")
        let configMap = try Self.load("configmap.yaml")
        let sharesJob = try Self.load("shares-job.yaml")
        let finishJob = try Self.load("finish-job.yaml")
        let accountName = try #require(account["metadata", "name"] as? String)
        roleARN = try #require(account["metadata", "annotations", "eks.amazonaws.com/role-arn"] as? String)
        configFiles = try #require(configMap["data"] as? [String: String])
        let mappingFile = try #require(configFiles["mapping.yaml"])
        let mapping = try #require(try Yams.load(yaml: mappingFile) as? [String: Any])
        tableName = try #require(((mapping["tables"] as? [[String: Any]])?.first?["table"]) as? String)
        let configMapName = try #require(configMap["metadata", "name"] as? String)
        shares = try Self.container(of: sharesJob, serviceAccount: accountName, configMap: configMapName)
        finish = try Self.container(of: finishJob, serviceAccount: accountName, configMap: configMapName)
        completionMode = try #require(sharesJob["spec", "completionMode"] as? String)
        completions = try #require(sharesJob["spec", "completions"] as? Int)
        parallelism = try #require(sharesJob["spec", "parallelism"] as? Int)
    }

    static func load(_ file: String) throws -> [String: Any] {
        try #require(try Yams.load(yaml: readFile(EngineManifestTests.kubernetes + "/" + file)) as? [String: Any], "\(file)")
    }

    /// The Job's one container; its pods must run as the service account and mount the ConfigMap.
    static func container(of job: [String: Any], serviceAccount: String, configMap: String) throws -> EngineContainer {
        let pod = try #require(job["spec", "template", "spec"] as? [String: Any])
        #expect(pod["serviceAccountName"] as? String == serviceAccount && pod["restartPolicy"] as? String == "Never")
        let containers = try #require(pod["containers"] as? [[String: Any]])
        try #require(containers.count == 1)
        let container = containers[0]
        #expect(container["command"] == nil, "the image's entrypoint runs: only args are given")
        var environment: [String: String] = [:]
        for variable in container["env"] as? [[String: Any]] ?? [] {
            let name = try #require(variable["name"] as? String)
            environment[name] = try #require(variable["value"] as? String, "\(name): a plain value")
        }
        var volumes: [String: LocalVolume] = [:]
        for volume in try #require(pod["volumes"] as? [[String: Any]]) {
            let name = try #require(volume["name"] as? String)
            if volume["persistentVolumeClaim"] != nil {
                volumes[name] = .snapshot
            } else if volume["configMap", "name"] as? String == configMap {
                volumes[name] = .config
            } else if volume["emptyDir"] != nil {
                volumes[name] = .scratch
            } else {
                Issue.record("volume \(name): not one the test knows how to stand in for")
            }
        }
        var mounts: [String: LocalVolume] = [:]
        for mount in container["volumeMounts"] as? [[String: Any]] ?? [] {
            let path = try #require(mount["mountPath"] as? String), volume = try #require(mount["name"] as? String)
            let local: LocalVolume = try #require(volumes[volume], "\(path): no volume \(volume)")
            mounts[path] = local
        }
        return EngineContainer(arguments: try #require(container["args"] as? [String]), environment: environment, mounts: mounts)
    }

    /// Writes the ConfigMap's files into `folder`, as its volume shows them.
    func writeConfigMap(to folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in configFiles { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        return folder
    }
}

/// packaging/aws-batch, read with Foundation's JSON.
struct BatchManifests {
    let shares: EngineContainer
    let finish: EngineContainer
    /// `arrayProperties.size` of the array job.
    let size: Int
    let jobRoleARN: String
    let finishDependsOn: [[String: String]]

    init() throws {
        let definition = try Self.load("job-definition.json")
        let submitShares = try Self.load("submit-shares.json")
        let submitFinish = try Self.load("submit-finish.json")
        let name = try #require(definition["jobDefinitionName"] as? String)
        #expect(submitShares["jobDefinition"] as? String == name && submitFinish["jobDefinition"] as? String == name)
        #expect(submitFinish["arrayProperties"] == nil, "finish is one job")
        let container = try #require(definition["containerProperties"] as? [String: Any])
        jobRoleARN = try #require(container["jobRoleArn"] as? String)
        var environment: [String: String] = [:]
        for variable in container["environment"] as? [[String: Any]] ?? [] {
            let name = try #require(variable["name"] as? String)
            environment[name] = try #require(variable["value"] as? String, "\(name): a value")
        }
        var volumes: [String: LocalVolume] = [:]
        for volume in container["volumes"] as? [[String: Any]] ?? [] {
            let name = try #require(volume["name"] as? String)
            let efsFolder = (volume["efsVolumeConfiguration", "rootDirectory"] as? String)?.split(separator: "/").last.map(String.init)
            if efsFolder == "snapshot" {
                volumes[name] = .snapshot
            } else if efsFolder == "config" {
                volumes[name] = .config
            } else if volume.keys.sorted() == ["name"] {
                volumes[name] = .scratch
            } else {
                Issue.record("volume \(name): not one the test knows how to stand in for")
            }
        }
        var mounts: [String: LocalVolume] = [:]
        for mount in container["mountPoints"] as? [[String: Any]] ?? [] {
            let path = try #require(mount["containerPath"] as? String), volume = try #require(mount["sourceVolume"] as? String)
            let local: LocalVolume = try #require(volumes[volume], "\(path): no volume \(volume)")
            mounts[path] = local
        }
        shares = EngineContainer(arguments: try #require(container["command"] as? [String]), environment: environment, mounts: mounts)
        finish = EngineContainer(arguments: try #require(submitFinish["containerOverrides", "command"] as? [String]), environment: environment, mounts: mounts)
        size = try #require(submitShares["arrayProperties", "size"] as? Int)
        finishDependsOn = try #require(submitFinish["dependsOn"] as? [[String: String]])
    }

    static func load(_ file: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: EngineManifestTests.batch + "/" + file))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(file)")
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The value at a path of keys through nested dictionaries.
    subscript(_ first: String, _ second: String, _ rest: String...) -> Any? {
        ([second] + rest).reduce(self[first]) { value, key in (value as? [String: Any])?[key] }
    }
}

func readFile(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

import AgentAPI
import Foundation
import OpenAPIRuntime
import Synchronization

/// The operations of docs/agent-openapi.yaml (the generated `APIProtocol`) over the agent's task
/// manager and node store. A refusal is thrown as `APIError`; `APIErrorMiddleware` answers it
/// with its status and the API's JSON error.
struct AgentAPIHandler: APIProtocol {
    let service: AgentService

    func getHealth(_ input: Operations.getHealth.Input) async throws -> Operations.getHealth.Output {
        .ok(.init(body: .json(.init(status: .ok, version: AgentVersion.current))))
    }

    func getAgentInfo(_ input: Operations.getAgentInfo.Input) async throws -> Operations.getAgentInfo.Output {
        var counts: [String: Int] = [:]
        for task in service.tasks.list() { counts[task.status.rawValue, default: 0] += 1 }
        return .ok(.init(body: .json(.init(
            version: AgentVersion.current, hostname: ProcessInfo.processInfo.hostName,
            pipeline: "targets: staging (JSON lines), dynamodb (S3 + import or batch)", freeDiskBytes: service.freeDiskBytes,
            stagingDirectory: service.loaded.stagingDirectory, dataDirectories: service.loaded.dataDirectories,
            nodes: service.nodes.list().map(\.name), tasks: .init(additionalProperties: counts)))))
    }

    // MARK: Nodes

    func listNodes(_ input: Operations.listNodes.Input) async throws -> Operations.listNodes.Output {
        .ok(.init(body: .json(try APIModel.answer(service.nodes.list()))))
    }

    func addNodes(_ input: Operations.addNodes.Input) async throws -> Operations.addNodes.Output {
        guard case .json(let batch) = input.body else { throw APIError.badRequest("the body must be JSON: a node or an array of nodes") }
        let nodes = try batch.nodes.map { try APIModel.request($0, as: RemoteNode.self) }
        try service.nodes.put(nodes)
        return .created(.init(body: .json(try APIModel.answer(nodes))))
    }

    func importNodes(_ input: Operations.importNodes.Input) async throws -> Operations.importNodes.Output {
        guard case .csv(let body) = input.body else { throw APIError.badRequest("the body must be CSV lines of nodes") }
        let nodes = try RemoteNode.parseCSV(try await String(collecting: body, upTo: APIErrorMiddleware.maxBody))
        guard !nodes.isEmpty else { throw APIError.badRequest("the CSV holds no nodes") }
        try service.nodes.put(nodes)
        return .created(.init(body: .json(try APIModel.answer(nodes))))
    }

    func getNode(_ input: Operations.getNode.Input) async throws -> Operations.getNode.Output {
        .ok(.init(body: .json(try APIModel.answer(try service.nodes.get(input.path.name)))))
    }

    func removeNode(_ input: Operations.removeNode.Input) async throws -> Operations.removeNode.Output {
        try service.nodes.remove(input.path.name)
        return .noContent(.init())
    }

    func testNode(_ input: Operations.testNode.Input) async throws -> Operations.testNode.Output {
        let node = try service.nodes.usable(input.path.name)
        let result = await service.nodeAccess(node).test()
        guard result.reachable else {
            throw APIError(422, "node \(node.name) did not answer: \(result.messages.joined(separator: "; "))")
        }
        return .ok(.init(body: .json(try APIModel.answer(result))))
    }

    // MARK: Tasks

    func listTasks(_ input: Operations.listTasks.Input) async throws -> Operations.listTasks.Output {
        .ok(.init(body: .json(try APIModel.answer(service.tasks.list()))))
    }

    func createTask(_ input: Operations.createTask.Input) async throws -> Operations.createTask.Output {
        guard case .json(let body) = input.body else { throw APIError.badRequest("the body must be a JSON task") }
        let spec = try APIModel.request(body, as: TaskSpec.self)
        // Paths, nodes and target are checked now, not at start.
        let probe = TaskRecord(id: "probe", name: "", spec: spec, status: .created, createdAt: 0, updatedAt: 0, stages: [], tables: [], stagingDirectory: "")
        do { _ = try service.tasks.jobFactory.withLock { $0 }(probe) } catch let error as APIError { throw error } catch {
            throw APIError.badRequest("\(error)")
        }
        return .created(.init(body: .json(try APIModel.answer(try service.tasks.create(spec)))))
    }

    func getTask(_ input: Operations.getTask.Input) async throws -> Operations.getTask.Output {
        .ok(.init(body: .json(try APIModel.answer(try service.tasks.get(input.path.id)))))
    }

    func deleteTask(_ input: Operations.deleteTask.Input) async throws -> Operations.deleteTask.Output {
        try service.tasks.delete(input.path.id, removeStaging: input.query.removeStaging ?? false)
        return .noContent(.init())
    }

    func startTask(_ input: Operations.startTask.Input) async throws -> Operations.startTask.Output {
        .accepted(.init(body: .json(try APIModel.answer(try service.tasks.start(input.path.id)))))
    }

    func resumeTask(_ input: Operations.resumeTask.Input) async throws -> Operations.resumeTask.Output {
        .accepted(.init(body: .json(try APIModel.answer(try service.tasks.start(input.path.id)))))
    }

    func stopTask(_ input: Operations.stopTask.Input) async throws -> Operations.stopTask.Output {
        .accepted(.init(body: .json(try APIModel.answer(try service.tasks.stop(input.path.id)))))
    }

    func getTaskLog(_ input: Operations.getTaskLog.Input) async throws -> Operations.getTaskLog.Output {
        let id = input.path.id
        _ = try service.tasks.get(id)
        return .ok(.init(body: .plainText(HTTPBody(service.tasks.store.readLog(id, offset: input.query.offset ?? 0)))))
    }

    func getTaskEvents(_ input: Operations.getTaskEvents.Input) async throws -> Operations.getTaskEvents.Output {
        let id = input.path.id
        // Subscribed before the first read, so that no event falls between the two.
        let live = service.tasks.events.subscribe(id)
        let record = try service.tasks.get(id)
        let events = TaskEventBytes(first: ServerSentEvent(event: "progress", data: service.tasks.encode(record)),
                                    live: record.status.isActive ? live : nil)
        return .ok(.init(headers: .init(Cache_hyphen_Control: "no-store"),
                         body: .text_event_hyphen_stream(HTTPBody(events, length: .unknown, iterationBehavior: .single))))
    }
}

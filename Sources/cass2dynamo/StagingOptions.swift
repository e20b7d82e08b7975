import ArgumentParser

/// The staging folder of `extract`: `--staging`, as in `upload` and `migrate`; `--out`, its older
/// name, is still taken (hidden from the help).
struct StagingFolderOption: ParsableArguments {
    @Option(help: "Staging folder (parts, manifest, checkpoint).", completion: .directory)
    var staging: String?

    @Option(name: .customLong("out"), help: ArgumentHelp("The older name of --staging.", visibility: .hidden))
    var out: String?

    func validate() throws { _ = try folder() }

    /// The folder given by either name.
    func folder() throws -> String {
        switch (staging, out) {
        case (let folder?, nil), (nil, let folder?): return folder
        case (nil, nil): throw ValidationError("give the staging folder: --staging DIR")
        case (_?, _?): throw ValidationError("give the staging folder once: --out is the older name of --staging")
        }
    }
}

/// Where `load` and `validate` read the staged data: the staging folder (`--staging`), or S3
/// (`--from s3://BUCKET/PREFIX`, with `--staging` then holding only the checkpoint). `--from DIR` is
/// the older spelling of `--staging DIR` and is still taken.
struct StagedInputOptions: ParsableArguments {
    @Option(help: "Staging folder (manifest, parts, checkpoint; with --from s3://…, the checkpoint only).", completion: .directory)
    var staging: String?

    @Option(help: ArgumentHelp("Read the manifest and parts from S3, where `upload` put them (a folder here is the older spelling of --staging).",
                               valueName: "s3://BUCKET/PREFIX"))
    var from: String?

    func validate() throws {
        let input = try resolved()
        if input.fromS3 { try OptionCheck.s3Location(input.source, "--from") }
    }

    /// The staged data to read (a folder or `s3://…`), and the folder that keeps the checkpoint.
    func resolved() throws -> (source: String, fromS3: Bool, checkpointFolder: String?) {
        switch (staging, from) {
        case (let folder?, nil):
            return (folder, false, folder)
        case (let folder, let url?) where url.hasPrefix("s3://"):
            return (url, true, folder)
        case (nil, let folder?):
            return (folder, false, folder)
        case (_?, _?):
            throw ValidationError("give the staging folder once: --from DIR is the older spelling of --staging DIR")
        case (nil, nil):
            throw ValidationError("give the staging folder (--staging DIR) or the S3 location of the staged data (--from s3://BUCKET/PREFIX)")
        }
    }
}

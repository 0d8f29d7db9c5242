import ArgumentParser

/// `device-registry`: serves the Device Registry (`serve`, the default) or only applies its
/// database migrations (`migrate`). Configuration comes from environment variables (see the
/// service's README).
@main
struct DeviceRegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device-registry",
        abstract: "The Device Registry: mobile keys, pairing, last use and device signatures.",
        subcommands: [ServeCommand.self, MigrateCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

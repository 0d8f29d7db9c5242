import ArgumentParser

/// `bok`: serves the BOK service (`serve`, the default) or only applies its database migrations
/// (`migrate`). Configuration comes from environment variables (see the service's README).
@main
struct BokCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bok",
        abstract: "The BOK service: BOK credentials and the phone as BOK-pad at office counters.",
        subcommands: [ServeCommand.self, MigrateCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

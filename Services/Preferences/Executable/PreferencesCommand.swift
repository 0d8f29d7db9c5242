import ArgumentParser

/// `preferences`: serves the Preferences service (`serve`, the default) or only applies its
/// database migrations (`migrate`). Configuration comes from environment variables (see the
/// service's README).
@main
struct PreferencesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preferences",
        abstract: "Preferences: notification settings, contacts, notifications and their delivery.",
        subcommands: [ServeCommand.self, MigrateCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

import Hummingbird
import Logging

/// The Hummingbird application for a library: its routes on `host:port`.
public enum MirrorServer {
    public static func application(
        library: MediaLibrary, privateKey: String, host: String, port: Int,
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "ikmeta-server")
        logger.logLevel = .warning
        return Application(
            router: Routes.router(library: library, privateKey: privateKey),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "ikmeta-server"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

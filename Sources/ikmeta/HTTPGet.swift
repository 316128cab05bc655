import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One authenticated GET for `verify`, through Foundation's URLSession: no extra package, and
/// none of the server's NIO stack in the CLI (the choice and its start-up cost: README
/// "Local ImageKit for tests").
enum HTTPGet {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    /// GET `address` with HTTP Basic `user:` (ImageKit's private key as user, no password).
    static func fetch(_ address: String, user: String, timeout: Double = 60) throws(CommandFailure) -> Response {
        guard let url = URL(string: address) else { throw CommandFailure("\(address) is not a valid URL.", status: 2) }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.setValue("Basic " + Data((user + ":").utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                box.result = .failure(CommandFailure("\(address): \(error.localizedDescription)", status: 2))
            } else {
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                box.result = .success(Response(status: status, body: [UInt8](data ?? Data())))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return try box.result!.get()
    }

    /// Percent-encodes a path segment or query value.
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    private final class ResultBox: @unchecked Sendable {
        var result: Result<Response, CommandFailure>?
    }
}

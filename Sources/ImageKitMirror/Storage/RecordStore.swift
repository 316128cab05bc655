import GRDB

/// The file records in SQLite (`library.sqlite` under `--data`). Every change is one transaction;
/// an upload's row is written only after its bytes are synced and renamed (issue "Durability").
struct RecordStore: Sendable {
    let database: DatabaseQueue

    init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        database = try DatabaseQueue(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("files") { db in
            try db.create(table: FileRecord.databaseTableName) { t in
                t.primaryKey("fileId", .text)
                t.column("versionId", .text).notNull().unique()
                t.column("versionNumber", .integer).notNull()
                t.column("name", .text).notNull()
                t.column("filePath", .text).notNull().unique()
                t.column("folder", .text).notNull().indexed()
                t.column("size", .integer).notNull()
                t.column("width", .integer).notNull()
                t.column("height", .integer).notNull()
                t.column("format", .text).notNull()
                t.column("hasAlpha", .boolean).notNull()
                t.column("tags", .text)
                t.column("isPrivateFile", .boolean).notNull()
                t.column("customCoordinates", .text)
                t.column("customMetadata", .text).notNull()
                t.column("metadata", .blob).notNull()
                t.column("createdAt", .text).notNull()
                t.column("updatedAt", .text).notNull()
            }
        }
        try migrator.migrate(database)
    }

    func find(fileId: String) async throws -> FileRecord? {
        try await database.read { db in try FileRecord.fetchOne(db, key: fileId) }
    }

    func find(filePath: String) async throws -> FileRecord? {
        try await database.read { db in try FileRecord.filter(Column("filePath") == filePath).fetchOne(db) }
    }

    func delete(fileId: String) async throws -> FileRecord? {
        try await database.write { db in
            guard let record = try FileRecord.fetchOne(db, key: fileId) else { return nil }
            try record.delete(db)
            return record
        }
    }

    /// GET /v1/files: records under `folder` (and its subfolders), sorted, one page.
    func list(_ query: ListQuery) async throws -> [FileRecord] {
        try await database.read { db in
            var request = FileRecord.all()
            if let folder = query.folder { request = request.filter(Column("folder").like(Self.likePrefix(folder), escape: "\\")) }
            if query.onlyNonImages { request = request.none() }  // every stored file is an image
            let column = Column(query.sortColumn)
            request = request.order(query.descending ? column.desc : column.asc, Column("fileId").asc)
            return try request.limit(query.limit, offset: query.skip).fetchAll(db)
        }
    }

    /// Every version id a record names: what the recovery pass keeps on disk.
    func versionIds() throws -> Set<String> {
        try database.read { db in Set(try String.fetchAll(db, sql: "SELECT versionId FROM file")) }
    }

    /// Drops records whose bytes are missing (the recovery pass). Returns how many.
    func removeRecords(where missing: (FileRecord) -> Bool) throws -> Int {
        try database.write { db in
            var removed = 0
            for record in try FileRecord.fetchAll(db) where missing(record) {
                try record.delete(db)
                removed += 1
            }
            return removed
        }
    }

    private static func likePrefix(_ folder: String) -> String {
        var escaped = ""
        for character in folder {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "%"
    }
}

/// The parameters of GET /v1/files that this server honours.
struct ListQuery: Sendable {
    var folder: String?
    var skip = 0
    var limit = 1000
    var sortColumn = "createdAt"
    var descending = false
    var onlyNonImages = false
}

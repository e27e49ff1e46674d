import Testing

@testable import PipelineCore

@Suite struct SQLScriptTests {
    @Test func splitsAtTopLevelSemicolonsOnly() {
        let sql = """
            -- a comment; with a semicolon
            CREATE TABLE t (a text DEFAULT 'x;y');
            /* block; comment */ INSERT INTO "we;ird" VALUES ($$a;b$$);
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            -- trailing comment only
            """
        let statements = SQLScript.statements(sql)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("CREATE TABLE t (a text DEFAULT 'x;y')"))
        #expect(statements[1].hasSuffix(#"INSERT INTO "we;ird" VALUES ($$a;b$$)"#))
        #expect(statements[2].contains("SELECT 1; $body$"))
    }
}

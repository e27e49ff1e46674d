-- The newest analysis of each item's current version, for people writing SQL.
CREATE VIEW latest_analyses AS
SELECT DISTINCT ON (a.item_id) a.*
FROM analyses a
JOIN items i ON i.item_id = a.item_id AND i.etag = a.etag
ORDER BY a.item_id, a.updated_at DESC;

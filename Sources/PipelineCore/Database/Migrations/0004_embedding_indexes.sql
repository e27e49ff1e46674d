-- Cosine HNSW indexes, one per supported dimension. A query uses one when it filters on
-- `dimensions = N` and orders by `(embedding::vector(N)) <=> $1::vector(N)`.
-- Voyage's output dimensions are 256, 512, 1024 (default) and 2048; HNSW on `vector` stops at
-- 2000 dimensions, so 2048 is indexed as half precision.
CREATE INDEX embeddings_hnsw_256 ON embeddings
    USING hnsw ((embedding::vector(256)) vector_cosine_ops) WHERE dimensions = 256;
CREATE INDEX embeddings_hnsw_512 ON embeddings
    USING hnsw ((embedding::vector(512)) vector_cosine_ops) WHERE dimensions = 512;
CREATE INDEX embeddings_hnsw_1024 ON embeddings
    USING hnsw ((embedding::vector(1024)) vector_cosine_ops) WHERE dimensions = 1024;
CREATE INDEX embeddings_hnsw_2048 ON embeddings
    USING hnsw ((embedding::halfvec(2048)) halfvec_cosine_ops) WHERE dimensions = 2048;

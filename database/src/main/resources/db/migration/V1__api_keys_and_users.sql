-- Users known to the gateway, with the storage plan that sets their quota.
CREATE TABLE users (
    user_id    text        PRIMARY KEY,
    plan       text        NOT NULL DEFAULT 'STARTER' CHECK (plan IN ('STARTER', 'PRO', 'BUSINESS')),
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE users IS 'Users of the upload service and their storage plan.';
COMMENT ON COLUMN users.user_id IS 'User id as clients send it (e.g. usr_123).';
COMMENT ON COLUMN users.plan IS 'Storage plan: STARTER (2 GB), PRO (20 GB), BUSINESS (100 GB).';

-- API keys are stored hashed: the secret part never reaches the database or the logs.
-- A key reads ac_<key_id>_<secret>; key_id finds the row, SHA-256 of the whole key is compared in constant time.
CREATE TABLE api_keys (
    key_id                text        PRIMARY KEY,
    key_hash              bytea       NOT NULL,
    scopes                text[]      NOT NULL CHECK (cardinality(scopes) > 0
                                          AND scopes <@ ARRAY['client', 'edge', 'analyst', 'admin']),
    user_id               text        NULL,
    description           text        NOT NULL DEFAULT '',
    requests_per_second   integer     NOT NULL DEFAULT 100 CHECK (requests_per_second > 0),
    created_at            timestamptz NOT NULL DEFAULT now(),
    revoked_at            timestamptz NULL,
    CONSTRAINT client_keys_act_for_a_user CHECK (NOT ('client' = ANY (scopes)) OR user_id IS NOT NULL)
);
COMMENT ON TABLE api_keys IS 'API keys (hashed) with their scopes, bound user and rate limit.';
COMMENT ON COLUMN api_keys.key_id IS 'Public part of the key (ac_<key_id>_<secret>); safe to log.';
COMMENT ON COLUMN api_keys.key_hash IS 'SHA-256 of the whole key; the key itself is never stored.';
COMMENT ON COLUMN api_keys.scopes IS 'Any of client, edge, analyst, admin.';
COMMENT ON COLUMN api_keys.user_id IS 'For client keys, the only user the key may act for.';
COMMENT ON COLUMN api_keys.requests_per_second IS 'Per-key rate limit; past it the gateway answers 429.';
COMMENT ON COLUMN api_keys.revoked_at IS 'When set, the key no longer authenticates.';

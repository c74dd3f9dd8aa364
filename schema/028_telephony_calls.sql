-- 028: calls from a seat's call-centre system (issue #15 point 9; casework/call_log.hpp).
--
-- users.agent_id: the operator's 工号 in the call-centre, set by an administrator. A ringing call
-- names the agent who took it; the server pops the intake on that user's desk. Unique: one agent
-- is one person. NULL: not a call-centre agent.
ALTER TABLE users ADD COLUMN agent_id TEXT;
CREATE UNIQUE INDEX users_agent_id ON users(agent_id) WHERE agent_id IS NOT NULL;

-- One row per call the call-centre reported. The caller's number is kept like a person's phone:
-- encrypted (FieldCipher, context persons.phone) plus the keyed fingerprint, never in plaintext.
-- call_ref is the call-centre's own id, unique per system (a retried report finds its row).
-- user_id: the operator the call was popped to (NULL: no such agent). contact_id: the contact the
-- operator recorded for it (POST /api/v1/intakes with call_id).
CREATE TABLE calls (
  id            INTEGER PRIMARY KEY,
  system        TEXT NOT NULL,
  call_ref      TEXT NOT NULL,
  agent_id      TEXT NOT NULL DEFAULT '',
  seat_id       TEXT NOT NULL DEFAULT '',
  user_id       INTEGER REFERENCES users(id),
  caller_enc    BLOB,
  caller_hash   BLOB,
  rang_at       INTEGER NOT NULL,
  ended_at      INTEGER,
  duration_s    INTEGER CHECK (duration_s IS NULL OR duration_s >= 0),
  contact_id    INTEGER REFERENCES contacts(id),
  created_at    INTEGER NOT NULL,
  UNIQUE (system, call_ref)
);
CREATE INDEX calls_user ON calls(user_id, rang_at);
CREATE INDEX calls_contact ON calls(contact_id);

-- Chancery team review log, version 1. Run by IT as the database owner (a
-- superuser, or an owner allowed to CREATEROLE for the two group roles).
-- Roles are granted by IT, never by the application:
--   GRANT chancery_staff TO alice;  GRANT chancery_approver TO carol;
--   INSERT INTO chancery.members (login, mission) VALUES ('alice', 'vienna');

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chancery_staff') THEN
    CREATE ROLE chancery_staff NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chancery_approver') THEN
    CREATE ROLE chancery_approver NOLOGIN;
  END IF;
END $$;

CREATE SCHEMA IF NOT EXISTS chancery;
REVOKE ALL ON SCHEMA chancery FROM PUBLIC;
GRANT USAGE ON SCHEMA chancery TO chancery_staff, chancery_approver;

-- Who belongs to which mission. Written by IT only.
CREATE TABLE chancery.members (
  login   name NOT NULL,
  mission text NOT NULL,
  PRIMARY KEY (login, mission)
);
ALTER TABLE chancery.members ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_own ON chancery.members FOR SELECT USING (login = session_user);
GRANT SELECT ON chancery.members TO chancery_staff, chancery_approver;

-- The append-only review log. id is made on the laptop, so a resend is
-- harmless (INSERT ... ON CONFLICT (id) DO NOTHING); seq is the server's
-- order, the cursor clients pull from; actor and at are set by the server.
CREATE SEQUENCE chancery.events_seq;
CREATE TABLE chancery.events (
  seq          bigint      NOT NULL PRIMARY KEY,
  id           text        NOT NULL UNIQUE CHECK (length(id) BETWEEN 8 AND 128),
  mission      text        NOT NULL CHECK (mission <> ''),
  post         text        NOT NULL CHECK (post <> ''),
  revision     integer     NOT NULL CHECK (revision > 0),
  kind         text        NOT NULL CHECK (kind IN ('submit', 'approve', 'return', 'withdraw', 'claim', 'published')),
  content_hash text        NOT NULL,
  content      text        NOT NULL DEFAULT '',
  comment      text        NOT NULL DEFAULT '' CHECK (length(comment) <= 4000),
  actor        name        NOT NULL,
  at           timestamptz NOT NULL
);
CREATE UNIQUE INDEX events_one_submit ON chancery.events (post, revision) WHERE kind = 'submit';
CREATE UNIQUE INDEX events_one_claim ON chancery.events (post, revision) WHERE kind = 'claim';
CREATE UNIQUE INDEX events_one_published ON chancery.events (post, revision) WHERE kind = 'published';
CREATE INDEX events_post ON chancery.events (post, seq);

ALTER TABLE chancery.events ENABLE ROW LEVEL SECURITY;
CREATE POLICY events_read ON chancery.events FOR SELECT
  USING (mission IN (SELECT m.mission FROM chancery.members m WHERE m.login = session_user));
CREATE POLICY events_write ON chancery.events FOR INSERT
  WITH CHECK (mission IN (SELECT m.mission FROM chancery.members m WHERE m.login = session_user));
GRANT SELECT, INSERT ON chancery.events TO chancery_staff, chancery_approver;

-- refuse raises one of Chancery's SQLSTATEs (class CH), which the client
-- maps to a translated reason.
CREATE FUNCTION chancery.refuse(code text, msg text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = code, MESSAGE = msg;
END $$;

-- check_event enforces the review rules on every new event. It runs as the
-- schema owner (SECURITY DEFINER) so it sees the whole post, and takes the
-- actor from the login, never from the client.
CREATE FUNCTION chancery.check_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = chancery, pg_temp AS $$
DECLARE
  who     name := session_user;
  latest  chancery.events;
  state   text;
  earlier chancery.events;
BEGIN
  -- One writer at a time, so seq order is commit order and a cursor
  -- never skips an event committed late.
  PERFORM pg_advisory_xact_lock(hashtext('chancery.events'));
  SELECT * INTO earlier FROM events WHERE id = NEW.id;
  IF FOUND THEN
    IF earlier.actor <> who THEN
      PERFORM refuse('CHA11', 'event id already used by another login');
    END IF;
    RETURN NEW; -- a resend: ON CONFLICT (id) DO NOTHING drops it
  END IF;
  NEW.actor := who;
  NEW.at := clock_timestamp();
  NEW.seq := nextval('chancery.events_seq');
  IF NOT EXISTS (SELECT 1 FROM members WHERE login = who AND mission = NEW.mission) THEN
    PERFORM refuse('CHA01', 'not a member of this mission');
  END IF;
  IF NOT (pg_has_role(who, 'chancery_staff', 'MEMBER') OR pg_has_role(who, 'chancery_approver', 'MEMBER')) THEN
    PERFORM refuse('CHA01', 'not a member of this mission');
  END IF;
  IF EXISTS (SELECT 1 FROM events WHERE post = NEW.post AND mission <> NEW.mission) THEN
    PERFORM refuse('CHA05', 'the post belongs to another mission');
  END IF;
  SELECT * INTO latest FROM events WHERE post = NEW.post AND kind = 'submit' ORDER BY revision DESC LIMIT 1;
  SELECT kind INTO state FROM events
    WHERE post = NEW.post AND kind IN ('submit', 'approve', 'return', 'withdraw', 'claim', 'published')
    ORDER BY seq DESC LIMIT 1;
  IF NEW.kind = 'submit' THEN
    IF NEW.content_hash <> encode(sha256(convert_to(NEW.content, 'UTF8')), 'hex') THEN
      PERFORM refuse('CHA10', 'the content hash does not match the content');
    END IF;
    IF NEW.revision <> coalesce(latest.revision, 0) + 1 THEN
      PERFORM refuse('CHA04', 'not the next revision');
    END IF;
    IF state IN ('claim', 'published') THEN
      PERFORM refuse('CHA05', 'the post is already being published');
    END IF;
    IF latest.actor IS NOT NULL AND latest.actor <> who THEN
      PERFORM refuse('CHA07', 'only the author submits a new revision');
    END IF;
    RETURN NEW;
  END IF;
  IF latest.revision IS NULL OR NEW.revision <> latest.revision OR NEW.content_hash <> latest.content_hash THEN
    PERFORM refuse('CHA04', 'not the latest submitted revision');
  END IF;
  CASE NEW.kind
  WHEN 'approve', 'return' THEN
    IF NOT pg_has_role(who, 'chancery_approver', 'MEMBER') THEN
      PERFORM refuse('CHA02', 'only an approver can review');
    END IF;
    IF EXISTS (SELECT 1 FROM events WHERE post = NEW.post AND kind = 'submit' AND actor = who) THEN
      PERFORM refuse('CHA03', 'the author cannot review their own post');
    END IF;
    IF state <> 'submit' THEN
      PERFORM refuse('CHA05', 'the post is not waiting for review');
    END IF;
    IF NEW.kind = 'return' AND btrim(NEW.comment) = '' THEN
      PERFORM refuse('CHA06', 'a returned post needs a comment');
    END IF;
  WHEN 'withdraw' THEN
    IF latest.actor <> who THEN
      PERFORM refuse('CHA07', 'only the author can withdraw');
    END IF;
    IF state NOT IN ('submit', 'approve', 'return') THEN
      PERFORM refuse('CHA05', 'the post can no longer be withdrawn');
    END IF;
  WHEN 'claim' THEN
    IF EXISTS (SELECT 1 FROM events WHERE post = NEW.post AND revision = NEW.revision AND kind = 'claim') THEN
      PERFORM refuse('CHA12', 'another laptop already claimed this revision');
    END IF;
    IF state <> 'approve' THEN
      PERFORM refuse('CHA05', 'the post is not approved');
    END IF;
  WHEN 'published' THEN
    IF NOT EXISTS (SELECT 1 FROM events WHERE post = NEW.post AND revision = NEW.revision
                   AND kind = 'claim' AND actor = who) THEN
      PERFORM refuse('CHA08', 'only the laptop that claimed the post publishes it');
    END IF;
  END CASE;
  RETURN NEW;
END $$;

CREATE TRIGGER events_check BEFORE INSERT ON chancery.events
  FOR EACH ROW EXECUTE FUNCTION chancery.check_event();

-- The log is append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
CREATE FUNCTION chancery.append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'CHA09', MESSAGE = 'the review log is append-only';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON chancery.events
  FOR EACH ROW EXECUTE FUNCTION chancery.append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON chancery.events
  FOR EACH STATEMENT EXECUTE FUNCTION chancery.append_only();

-- Wake the laptops when someone acts. The payload is only the sequence
-- number: listeners of other missions learn nothing of this one.
CREATE FUNCTION chancery.notify_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('chancery_events', NEW.seq::text);
  RETURN NULL;
END $$;
CREATE TRIGGER events_notify AFTER INSERT ON chancery.events
  FOR EACH ROW EXECUTE FUNCTION chancery.notify_event();

-- Chancery team review log, version 2: hardening after a security review.

-- Rules are judged on the log as it is after the writers' lock, never on an
-- older snapshot; a resend keeps none of the client's server columns; the
-- log's owner, or a superuser, cannot act in review.
--
-- Row-level security is deliberately not FORCEd: the owner is IT's
-- administrative role, which could ALTER the table or drop the triggers
-- anyway, and check_event, running as the owner, must see a post's events
-- in every mission to refuse a post id taken from another one. People's
-- logins must never own the schema or be superusers.
CREATE OR REPLACE FUNCTION chancery.check_event() RETURNS trigger
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
  -- The rules below must read the log as it is now, after the lock: a
  -- REPEATABLE READ or SERIALIZABLE transaction reads its older snapshot
  -- and would judge an event on a log that has moved on (an approval of a
  -- revision replaced meanwhile). Such a transaction tries again.
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM refuse('40001', 'review events are accepted only in READ COMMITTED transactions');
  END IF;
  SELECT * INTO earlier FROM events WHERE id = NEW.id;
  IF FOUND THEN
    IF earlier.actor <> who THEN
      PERFORM refuse('CHA11', 'event id already used by another login');
    END IF;
    -- A resend: ON CONFLICT (id) DO NOTHING drops it, and nothing of
    -- what the client named is kept even if it were stored.
    NEW.seq := earlier.seq;
    NEW.actor := who;
    NEW.at := earlier.at;
    RETURN NEW;
  END IF;
  -- A login that owns the log (or a superuser) reads every mission and
  -- could drop these rules: it administers review, it takes no part in it.
  IF pg_has_role(who, (SELECT c.relowner FROM pg_class c WHERE c.oid = 'chancery.events'::regclass), 'MEMBER') THEN
    PERFORM refuse('42501', 'the owner of the review log takes no part in review');
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


-- Content rides only on a submit, and no field grows without bound (the
-- server refuses, 23514, what the client would otherwise keep retrying).
ALTER TABLE chancery.events
  ADD CONSTRAINT events_content_on_submit CHECK (kind = 'submit' OR content = '') NOT VALID,
  ADD CONSTRAINT events_sizes CHECK (length(mission) <= 200 AND length(post) <= 200
    AND length(content_hash) <= 128 AND octet_length(content) <= 4194304) NOT VALID;

-- A login added to a mission reads that mission's earlier events.
CREATE INDEX events_mission ON chancery.events (mission, seq);

-- The helper and trigger functions are called by the triggers only.
REVOKE ALL ON FUNCTION chancery.refuse(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION chancery.check_event() FROM PUBLIC;
REVOKE ALL ON FUNCTION chancery.append_only() FROM PUBLIC;
REVOKE ALL ON FUNCTION chancery.notify_event() FROM PUBLIC;

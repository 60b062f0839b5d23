-- Rooms have a status: open (admitting), cleaning (消杀中: counted, not
-- admitting) or closed (停用: neither). closed_on is the day a room was
-- closed, so the figures of an earlier day still count its beds.
ALTER TABLE isolation_rooms ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE isolation_rooms ADD COLUMN closed_on {{date}};

-- Why a stay ended: released (解除观察), transfer (转运医院), home (转居家观察)
-- or other.
ALTER TABLE isolation_stays ADD COLUMN out_reason TEXT NOT NULL DEFAULT '';

-- A site's capacity is the beds of its rooms in use, computed: the typed
-- figure goes.
ALTER TABLE isolation_sites DROP COLUMN capacity;

-- Khối document schema at revision 0006 (generated from the migrations; do not edit)
CREATE TABLE activity (
	id INTEGER NOT NULL, 
	period_id INTEGER NOT NULL, 
	kind VARCHAR(50) NOT NULL, 
	title VARCHAR(500) NOT NULL, 
	held_on DATE, 
	participants INTEGER, 
	quantity INTEGER, 
	note TEXT NOT NULL, 
	CONSTRAINT pk_activity PRIMARY KEY (id), 
	CONSTRAINT fk_activity_period_id_period FOREIGN KEY(period_id) REFERENCES period (id) ON DELETE CASCADE
);
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE award (
	id INTEGER NOT NULL, 
	period_id INTEGER NOT NULL, 
	kind VARCHAR(50) NOT NULL, 
	content VARCHAR(500) NOT NULL, 
	issuer VARCHAR(300) NOT NULL, 
	number VARCHAR(100) NOT NULL, 
	issued_on DATE, 
	holder VARCHAR(300) NOT NULL, 
	collective BOOLEAN NOT NULL, issuer_level VARCHAR(32) DEFAULT 'khac' NOT NULL, 
	CONSTRAINT pk_award PRIMARY KEY (id), 
	CONSTRAINT fk_award_period_id_period FOREIGN KEY(period_id) REFERENCES period (id) ON DELETE CASCADE
);
CREATE TABLE blob (
	sha256 VARCHAR(64) NOT NULL, 
	size INTEGER NOT NULL, 
	data BLOB NOT NULL, 
	CONSTRAINT pk_blob PRIMARY KEY (sha256)
);
CREATE TABLE committee_member (
	id INTEGER NOT NULL, 
	period_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	job_title VARCHAR(300) NOT NULL, 
	role VARCHAR(100) NOT NULL, 
	tasks TEXT NOT NULL, 
	CONSTRAINT pk_committee_member PRIMARY KEY (id), 
	CONSTRAINT fk_committee_member_period_id_period FOREIGN KEY(period_id) REFERENCES period (id) ON DELETE CASCADE
);
CREATE TABLE conduct_rule (
	id INTEGER NOT NULL, 
	category VARCHAR(50) NOT NULL, 
	position INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	source VARCHAR(300) NOT NULL, 
	adopted_on DATE, 
	posted BOOLEAN NOT NULL, 
	inherited BOOLEAN NOT NULL, 
	CONSTRAINT pk_conduct_rule PRIMARY KEY (id)
);
CREATE TABLE convention (
	id INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	title VARCHAR(500) NOT NULL, 
	adopted_on DATE, 
	adopted_at VARCHAR(500) NOT NULL, 
	inherited BOOLEAN NOT NULL, 
	CONSTRAINT pk_convention PRIMARY KEY (id), 
	CONSTRAINT uq_convention_version UNIQUE (version)
);
CREATE TABLE convention_article (
	id INTEGER NOT NULL, 
	chapter_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	title VARCHAR(500) NOT NULL, 
	body TEXT NOT NULL, 
	CONSTRAINT pk_convention_article PRIMARY KEY (id), 
	CONSTRAINT fk_convention_article_chapter_id_convention_chapter FOREIGN KEY(chapter_id) REFERENCES convention_chapter (id) ON DELETE CASCADE
);
CREATE TABLE convention_chapter (
	id INTEGER NOT NULL, 
	convention_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	title VARCHAR(500) NOT NULL, 
	CONSTRAINT pk_convention_chapter PRIMARY KEY (id), 
	CONSTRAINT fk_convention_chapter_convention_id_convention FOREIGN KEY(convention_id) REFERENCES convention (id) ON DELETE CASCADE
);
CREATE TABLE criterion_result (
	id INTEGER NOT NULL, 
	period_id INTEGER NOT NULL, 
	framework_id INTEGER NOT NULL, 
	code VARCHAR(50) NOT NULL, 
	status VARCHAR(32) NOT NULL, 
	value FLOAT, 
	score FLOAT NOT NULL, 
	current_state TEXT NOT NULL, 
	strengths TEXT NOT NULL, 
	weaknesses TEXT NOT NULL, 
	improvement_plan TEXT NOT NULL, 
	note TEXT NOT NULL, 
	needs_confirmation BOOLEAN NOT NULL, 
	reference_json TEXT, 
	updated_at DATETIME, 
	CONSTRAINT pk_criterion_result PRIMARY KEY (id), 
	CONSTRAINT fk_criterion_result_framework_id_framework FOREIGN KEY(framework_id) REFERENCES framework (id), 
	CONSTRAINT fk_criterion_result_period_id_period FOREIGN KEY(period_id) REFERENCES period (id) ON DELETE CASCADE, 
	CONSTRAINT uq_criterion_result_period_id UNIQUE (period_id, framework_id, code)
);
CREATE TABLE doc_meta (
	"key" VARCHAR(64) NOT NULL, 
	value TEXT NOT NULL, 
	CONSTRAINT pk_doc_meta PRIMARY KEY ("key")
);
CREATE TABLE evidence (
	id INTEGER NOT NULL, 
	period_id INTEGER NOT NULL, 
	code VARCHAR(50) NOT NULL, 
	title VARCHAR(500) NOT NULL, 
	doc_number VARCHAR(100) NOT NULL, 
	issued_on DATE, 
	issuer VARCHAR(300) NOT NULL, 
	file_name VARCHAR(255) NOT NULL, 
	mime_type VARCHAR(100) NOT NULL, 
	size INTEGER NOT NULL, 
	sha256 VARCHAR(64), 
	embed BOOLEAN NOT NULL, 
	inherited BOOLEAN NOT NULL, 
	note TEXT NOT NULL, 
	added_at DATETIME NOT NULL, copy_mode VARCHAR(16) DEFAULT 'auto' NOT NULL, 
	CONSTRAINT pk_evidence PRIMARY KEY (id), 
	CONSTRAINT fk_evidence_period_id_period FOREIGN KEY(period_id) REFERENCES period (id) ON DELETE CASCADE, 
	CONSTRAINT fk_evidence_sha256_blob FOREIGN KEY(sha256) REFERENCES blob (sha256), 
	CONSTRAINT uq_evidence_period_id UNIQUE (period_id, code)
);
CREATE TABLE evidence_link (
	evidence_id INTEGER NOT NULL, 
	result_id INTEGER NOT NULL, 
	CONSTRAINT pk_evidence_link PRIMARY KEY (evidence_id, result_id), 
	CONSTRAINT fk_evidence_link_evidence_id_evidence FOREIGN KEY(evidence_id) REFERENCES evidence (id) ON DELETE CASCADE, 
	CONSTRAINT fk_evidence_link_result_id_criterion_result FOREIGN KEY(result_id) REFERENCES criterion_result (id) ON DELETE CASCADE
);
CREATE TABLE export_choice (
	id INTEGER NOT NULL, 
	photos_per_page INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_export_choice PRIMARY KEY (id)
);
CREATE TABLE framework (
	id INTEGER NOT NULL, 
	"key" VARCHAR(100) NOT NULL, 
	version VARCHAR(50) NOT NULL, 
	title VARCHAR(500) NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	source_text TEXT NOT NULL, 
	imported_at DATETIME NOT NULL, 
	CONSTRAINT pk_framework PRIMARY KEY (id), 
	CONSTRAINT uq_framework_key UNIQUE ("key", version)
);
CREATE TABLE import_record (
	id INTEGER NOT NULL, 
	dossier_sha256 VARCHAR(64) NOT NULL, 
	payload_sha256 VARCHAR(64) NOT NULL, 
	source_year INTEGER NOT NULL, 
	target_year INTEGER NOT NULL, 
	verdict VARCHAR(32) NOT NULL, 
	imported_at DATETIME NOT NULL, 
	CONSTRAINT pk_import_record PRIMARY KEY (id)
);
CREATE TABLE period (
	id INTEGER NOT NULL, 
	year_start INTEGER NOT NULL, 
	year_end INTEGER NOT NULL, 
	framework_id INTEGER NOT NULL, 
	addon_framework_id INTEGER, 
	target_cultural BOOLEAN NOT NULL, 
	target_model BOOLEAN NOT NULL, 
	registered_on DATE, 
	status VARCHAR(32) NOT NULL, 
	report_number INTEGER NOT NULL, 
	report_symbol VARCHAR(50) NOT NULL, 
	situation TEXT NOT NULL, 
	proposals TEXT NOT NULL, 
	recipients TEXT NOT NULL, 
	source_dossier_sha256 VARCHAR(64), 
	source_unverified BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, registration_number VARCHAR(50) DEFAULT '' NOT NULL, convention_number VARCHAR(50) DEFAULT '' NOT NULL, conduct_number VARCHAR(50) DEFAULT '' NOT NULL, 
	CONSTRAINT pk_period PRIMARY KEY (id), 
	CONSTRAINT fk_period_addon_framework_id_framework FOREIGN KEY(addon_framework_id) REFERENCES framework (id), 
	CONSTRAINT fk_period_framework_id_framework FOREIGN KEY(framework_id) REFERENCES framework (id), 
	CONSTRAINT uq_period_year_end UNIQUE (year_end)
);
CREATE TABLE plan_item (
	id INTEGER NOT NULL, 
	period_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	content TEXT NOT NULL, 
	owner VARCHAR(200) NOT NULL, 
	deadline DATE, 
	measures TEXT NOT NULL, 
	status VARCHAR(32) NOT NULL, 
	CONSTRAINT pk_plan_item PRIMARY KEY (id), 
	CONSTRAINT fk_plan_item_period_id_period FOREIGN KEY(period_id) REFERENCES period (id) ON DELETE CASCADE
);
CREATE TABLE rendition (
	source_sha256 VARCHAR(64) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	spec VARCHAR(100) NOT NULL, 
	part INTEGER NOT NULL, 
	parts INTEGER NOT NULL, 
	width INTEGER NOT NULL, 
	height INTEGER NOT NULL, 
	size INTEGER NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	mac VARCHAR(64) NOT NULL, 
	data BLOB NOT NULL, 
	made_at DATETIME NOT NULL, 
	CONSTRAINT pk_rendition PRIMARY KEY (source_sha256, kind, spec, part)
);
CREATE TABLE signature_image (
	role VARCHAR(16) NOT NULL, 
	png BLOB NOT NULL, 
	file_name VARCHAR(300) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_signature_image PRIMARY KEY (role)
);
CREATE TABLE signing_choice (
	id INTEGER NOT NULL, 
	method VARCHAR(16) NOT NULL, 
	p12_path VARCHAR(1000) NOT NULL, 
	pkcs11_lib VARCHAR(1000) NOT NULL, 
	token_label VARCHAR(200) NOT NULL, 
	key_label VARCHAR(200) NOT NULL, 
	cert_fingerprint VARCHAR(64) NOT NULL, 
	cert_subject VARCHAR(500) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_signing_choice PRIMARY KEY (id)
);
CREATE TABLE unit (
	id INTEGER NOT NULL, 
	name VARCHAR(300) NOT NULL, 
	short_name VARCHAR(100) NOT NULL, 
	unit_type VARCHAR(32) NOT NULL, 
	parent_org VARCHAR(300) NOT NULL, 
	superior_union VARCHAR(300) NOT NULL, 
	union_name VARCHAR(300) NOT NULL, 
	address VARCHAR(500) NOT NULL, 
	place_name VARCHAR(100) NOT NULL, 
	head_name VARCHAR(200) NOT NULL, 
	head_title VARCHAR(200) NOT NULL, 
	party_secretary VARCHAR(200) NOT NULL, 
	union_chair VARCHAR(200) NOT NULL, 
	staff_count INTEGER, 
	party_member_count INTEGER, 
	phone VARCHAR(50) NOT NULL, 
	email VARCHAR(200) NOT NULL, 
	updated_at DATETIME, 
	CONSTRAINT pk_unit PRIMARY KEY (id)
);
CREATE INDEX ix_activity_period_id ON activity (period_id);
CREATE INDEX ix_award_period_id ON award (period_id);
CREATE INDEX ix_committee_member_period_id ON committee_member (period_id);
CREATE INDEX ix_convention_article_chapter_id ON convention_article (chapter_id);
CREATE INDEX ix_convention_chapter_convention_id ON convention_chapter (convention_id);
CREATE INDEX ix_criterion_result_period_id ON criterion_result (period_id);
CREATE INDEX ix_evidence_period_id ON evidence (period_id);
CREATE INDEX ix_evidence_sha256 ON evidence (sha256);
CREATE INDEX ix_import_record_dossier_sha256 ON import_record (dossier_sha256);
CREATE INDEX ix_plan_item_period_id ON plan_item (period_id);
INSERT INTO alembic_version (version_num) VALUES ('0006');

-- One endpoint reference answering from two addresses in one scan is an identity clash to show,
-- not a duplicate to drop: a scan keeps one row per endpoint and address.
ALTER TABLE discovered_devices DROP CONSTRAINT discovered_devices_scan_id_endpoint_reference_key;
ALTER TABLE discovered_devices ADD CONSTRAINT discovered_devices_scan_endpoint_address_key UNIQUE (scan_id, endpoint_reference, address);

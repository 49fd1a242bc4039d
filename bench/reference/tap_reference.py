"""The benchmark's reference: tap-betterstack's monitors stream written with the Meltano Singer SDK.

Written the way the SDK's cookbook writes a REST tap: a RESTStream with the same schema file as
tap-betterstack, JSON:API attributes flattened in post_process, the `pagination.next` link followed
(HATEOAS paginator), bearer auth, INCREMENTAL on updated_at, and the SDK's fastest message writer
(msgspec). Installed by bench/run.mjs into bench/.venv from bench/reference/requirements.txt.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl

from singer_sdk import Tap
from singer_sdk import typing as th
from singer_sdk.authenticators import BearerTokenAuthenticator
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.pagination import BaseHATEOASPaginator
from singer_sdk.streams import RESTStream

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "catalogs" / "betterstack" / "monitors.json"
SCHEMA = {k: v for k, v in json.loads(SCHEMA_FILE.read_text()).items() if k != "$schema"}


class NextLink(BaseHATEOASPaginator):
    """Better Stack's `pagination.next`: an absolute URL, null on the last page."""

    def get_next_url(self, response):
        return (response.json().get("pagination") or {}).get("next")


class Monitors(RESTStream):
    name = "monitors"
    path = "/api/v2/monitors"
    primary_keys = ("id",)
    replication_key = "updated_at"
    records_jsonpath = "$.data[*]"
    schema = SCHEMA

    @property
    def url_base(self) -> str:
        return self.config["base_url"]

    @property
    def authenticator(self):
        return BearerTokenAuthenticator(self, token=self.config["api_key"])

    def get_new_paginator(self):
        return NextLink()

    def get_url_params(self, context, next_page_token):
        if next_page_token:
            return dict(parse_qsl(next_page_token.query))
        return {"per_page": 250}

    def post_process(self, row, context=None):
        return {**(row.get("attributes") or {}), "id": row.get("id"), "type": row.get("type")}


class TapReference(Tap):
    name = "tap-betterstack-reference"
    message_writer_class = MsgSpecWriter
    config_jsonschema = th.PropertiesList(
        th.Property("api_key", th.StringType, required=True, secret=True),
        th.Property("base_url", th.StringType, required=True),
    ).to_dict()

    def discover_streams(self):
        return [Monitors(self)]


if __name__ == "__main__":
    TapReference.cli()

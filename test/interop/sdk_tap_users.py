"""A small Meltano Singer SDK tap over the playground's users, for the conformance suite's interop test.

Written the way the SDK's cookbook writes a REST tap: two RESTStreams sharing the playground's user
schema, bearer auth, `users` INCREMENTAL on updatedAt (the API filters on `updated_since` and sorts,
so the stream is sorted) paged by page number until `total_pages`, and `bearer_users` read whole.
"""

from __future__ import annotations

import json
from pathlib import Path

from singer_sdk import Tap
from singer_sdk import typing as th
from singer_sdk.authenticators import BearerTokenAuthenticator
from singer_sdk.pagination import PageNumberPaginator
from singer_sdk.streams import RESTStream

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "catalogs" / "playground" / "user.json"
SCHEMA = {k: v for k, v in json.loads(SCHEMA_FILE.read_text()).items() if k != "$schema"}


class UntilLastPage(PageNumberPaginator):
    """The next page number while `page < total_pages`."""

    def has_more(self, response):
        body = response.json()
        return body.get("page", 0) < body.get("total_pages", 0)


class PlaygroundStream(RESTStream):
    primary_keys = ("id",)
    records_jsonpath = "$.data[*]"
    schema = SCHEMA

    @property
    def url_base(self) -> str:
        return self.config["base_url"]

    @property
    def authenticator(self):
        return BearerTokenAuthenticator(self, token=self.config["bearer_token"])


class Users(PlaygroundStream):
    name = "users"
    path = "/pagination/page_number"
    replication_key = "updatedAt"
    is_sorted = True

    def get_new_paginator(self):
        return UntilLastPage(start_value=1)

    def get_url_params(self, context, next_page_token):
        params = {"per_page": 50, "page": next_page_token or 1}
        start = self.get_starting_replication_key_value(context)
        if start:
            params["updated_since"] = start
        return params


class BearerUsers(PlaygroundStream):
    name = "bearer_users"
    path = "/auth/http_bearer"


class TapPlaygroundUsers(Tap):
    name = "tap-playground-users"
    config_jsonschema = th.PropertiesList(
        th.Property("bearer_token", th.StringType, required=True, secret=True),
        th.Property("base_url", th.StringType, required=True),
        th.Property("start_date", th.DateTimeType),
    ).to_dict()

    def discover_streams(self):
        return [Users(self), BearerUsers(self)]


if __name__ == "__main__":
    TapPlaygroundUsers.cli()

"""The OpenAPI 3.1 document of the CTAI indicators API (served at /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ERROR}},
    }


def _query(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", **schema},
    }


PERIOD_PARAMETERS = [
    _query(
        "period",
        "Type de période ; « custom » si `from` est donné, sinon « year ».",
        enum=["month", "quarter", "year", "custom"],
    ),
    _query("value", "2026-03 (mois), 2026-T1 (trimestre) ou 2026 (année)."),
    _query(
        "from", "Premier jour inclus (AAAA-MM-JJ), période « custom ».", format="date"
    ),
    _query(
        "to", "Dernier jour inclus (AAAA-MM-JJ), période « custom ».", format="date"
    ),
    _query(
        "category",
        "Public : bpi, bpt, cir, legion_family ou other.",
        enum=["bpi", "bpt", "cir", "legion_family", "other"],
    ),
    _query("partner", "Identifiant du partenaire prescripteur.", pattern="^[0-9]+$"),
]


def openapi_document(names: list[str]) -> dict[str, Any]:
    """Return the OpenAPI document, listing the indicator names served."""
    protected = {
        "401": _error("Jeton absent, inconnu ou révoqué."),
        "429": _error("Trop de requêtes : 120 par minute au plus."),
    }
    scoped = {
        "403": _error(
            "Indicateur hors du périmètre du jeton : un administrateur choisit, à "
            "la création du jeton, les groupes d’indicateurs qu’il permet de lire."
        ),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Indicateurs du CTAI de Millau — action 1",
            "version": "1.0.0",
            "description": (
                "Chiffres agrégés de l’apprentissage du français (tutorat et "
                "entraînement numérique). Tout effectif de personnes inférieur au "
                "seuil du secret statistique vaut null, avec suppression secondaire."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/indicators": {
                "get": {
                    "summary": "Indicateurs que le jeton permet de lire, et leurs définitions",
                    "operationId": "listIndicators",
                    "responses": {
                        "200": {
                            "description": "Les indicateurs servis.",
                            "content": {
                                "application/json": {"schema": {"type": "object"}}
                            },
                        },
                        **protected,
                    },
                }
            },
            "/indicators/{name}": {
                "get": {
                    "summary": "Un indicateur pour une période",
                    "operationId": "getIndicator",
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": names},
                        },
                        *PERIOD_PARAMETERS,
                    ],
                    "responses": {
                        "200": {
                            "description": "La valeur protégée de l’indicateur.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Indicator"}
                                }
                            },
                        },
                        "400": _error(
                            "Date illisible, période trop longue, filtre ou "
                            "indicateur inconnu."
                        ),
                        **scoped,
                        **protected,
                    },
                }
            },
            "/indicators/enrolments": {
                "get": {
                    "summary": "Inscriptions depuis le début, par situation (version 1.0)",
                    "operationId": "getEnrolments",
                    "responses": {
                        "200": {
                            "description": "Inscriptions protégées.",
                            "content": {
                                "application/json": {"schema": {"type": "object"}}
                            },
                        },
                        **scoped,
                        **protected,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "status"],
                    "properties": {
                        "error": {"type": "string"},
                        "status": {"type": "integer"},
                    },
                },
                "Indicator": {
                    "type": "object",
                    "required": ["indicator", "period", "small_cell_rule"],
                    "properties": {
                        "indicator": {"type": "string"},
                        "period": {
                            "type": "object",
                            "properties": {
                                "from": {"type": "string", "format": "date"},
                                "to": {"type": "string", "format": "date"},
                            },
                        },
                        "filters": {"type": "object"},
                        "value": {"type": ["number", "null"]},
                        "hidden": {"type": "boolean"},
                        "unit": {
                            "type": "string",
                            "enum": ["people", "count", "hours", "days", "rate"],
                        },
                        "cells": {
                            "type": "object",
                            "additionalProperties": {"type": ["integer", "null"]},
                        },
                        "total": {"type": ["integer", "null"]},
                        "months": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "month": {"type": "string"},
                                    "value": {"type": ["number", "null"]},
                                },
                            },
                        },
                        "small_cell_rule": {"type": "object"},
                    },
                },
            },
        },
    }

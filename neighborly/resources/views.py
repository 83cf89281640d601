"""Resources views (being built)."""

from flask import Blueprint

bp = Blueprint("resources", __name__)

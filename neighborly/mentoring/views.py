"""Mentoring views (being built)."""

from flask import Blueprint

bp = Blueprint("mentoring", __name__)

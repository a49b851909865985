"""Parents' pages of the services app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

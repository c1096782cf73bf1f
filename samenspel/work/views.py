"""My work: one page per person, where they land after logging in."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.learning.stages import NEXT_STEP
from samenspel.work.queries import my_work as load_my_work


@login_required
def my_work(request: AuthenticatedHttpRequest) -> HttpResponse:
    work = load_my_work(request.user)
    return render(request, "work/my_work.html", {"work": work, "next_step": NEXT_STEP})

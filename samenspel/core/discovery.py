"""Each installed app's own module of a given name, found through the app registry."""

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def app_modules(name: str, *, hook: str) -> list[ModuleType]:
    """The `name` submodule of every installed app that has one and defines `hook`, in
    INSTALLED_APPS order: as the admin finds each app's admin.py, so that a command in core
    can run every app's part without core (or any app) importing the apps above it."""
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, name):
            module = import_module(f"{config.name}.{name}")
            if callable(getattr(module, hook, None)):
                found.append(module)
    return found

"""The enumerations of track 1, from the Lokale Energie Monitor and PBL (see DOMAIN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    ORIENTATIE = "orientatie", _("Orientation")
    VERKENNING = "verkenning", _("Exploration / feasibility")
    ONTWIKKELING = "ontwikkeling", _("Development")
    REALISATIE = "realisatie", _("Realisation")
    EXPLOITATIE = "exploitatie", _("Operation")


PHASE_ORDER = list(Phase.values)


class Status(models.TextChoices):
    ACTIEF = "actief", _("Active")
    NIET_ACTIEF = "niet-actief", _("Not active")
    GESTOPT = "gestopt", _("Stopped")


class LegalForm(models.TextChoices):
    COOPERATIE = "cooperatie", _("Cooperative (U.A.)")
    VERENIGING = "vereniging", _("Association")
    STICHTING = "stichting", _("Foundation")
    BV_COOPERATIE = "bv-cooperatie", _("Company owned by a cooperative")
    VVE = "vve", _("Owners' association (VvE)")
    GEEN = "geen", _("None yet")


class HeatSolution(models.TextChoices):
    WARMTEPOMP = "warmtepomp", _("Individual electric heat pump")
    NET_HT = "net-ht", _("Heat network, high temperature (70–90 °C)")
    NET_MT = "net-mt", _("Heat network, medium temperature (55–75 °C)")
    NET_LT = "net-lt", _("Heat network, low temperature (30–55 °C)")
    NET_ZLT = "net-zlt", _("Heat network, very low temperature (10–30 °C)")
    TEO = "teo", _("Aquathermal: surface water (TEO)")
    TEA = "tea", _("Aquathermal: waste water (TEA)")
    TED = "ted", _("Aquathermal: drinking water (TED)")
    GEOTHERMIE = "geothermie", _("Geothermal")
    RESTWARMTE = "restwarmte", _("Residual heat")
    WKO = "wko", _("Ground source / aquifer storage (WKO)")
    ZONTHERMIE = "zonthermie", _("Solar thermal")
    BIOMASSA = "biomassa", _("Biomass")
    HYBRIDE = "hybride", _("Renewable gas with hybrid heat pump")
    GROEN_GAS = "groen-gas", _("Renewable gas with boiler")
    ISOLATIE = "isolatie", _("Insulation and saving")
    INKOOP = "inkoop", _("Collective purchasing")


class ProjectRole(models.TextChoices):
    INITIATIEFNEMER = "initiatiefnemer", _("Initiator")
    PARTNER = "gelijkwaardig-partner", _("Equal partner")
    KLANKBORD = "klankbordgroep", _("Sounding board")


class Review(models.TextChoices):
    """Where a registered initiative stands: listed in the atlas, or still being reviewed."""

    PENDING = "pending", _("Waiting for review")
    MORE_INFO = "more-info", _("More information asked")
    LISTED = "listed", _("Listed")
    DECLINED = "declined", _("Declined")


class IndicatorKind(models.TextChoices):
    NUMBER = "number", _("Number")
    STORY = "story", _("Value story")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")


class ExchangeKind(models.TextChoices):
    NEED = "need", _("Help wanted")
    OFFER = "offer", _("Offer")

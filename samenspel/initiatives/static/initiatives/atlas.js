// The atlas map: areas and points from JSON in the page; background tiles only when the
// site sets MAP_TILE_URL. Without JavaScript or tiles, the list still tells everything.
(function () {
  "use strict";
  var element = document.getElementById("atlas-map");
  if (!element || !window.L) { return; }
  var read = function (id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };
  var points = read("atlas-points");
  var areas = read("atlas-areas");
  // On a touch screen one finger scrolls the page and two move the map; with a mouse,
  // Ctrl and the wheel zoom (leaflet-gesture-handling, served by the app).
  var map = L.map(element, {
    scrollWheelZoom: false,
    attributionControl: true,
    gestureHandling: true,
    gestureHandlingOptions: {
      duration: 1500,
      text: {
        touch: element.dataset.gestureTouch,
        scroll: element.dataset.gestureScroll,
        scrollMac: element.dataset.gestureScrollMac
      }
    }
  });
  map.attributionControl.setPrefix("Leaflet");
  // Say whether the gestures are handled (for the tests, and for styles that depend on it).
  element.setAttribute(
    "data-gestures",
    map.gestureHandling && map.gestureHandling.enabled() ? "two-fingers" : "off"
  );
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, {
      maxZoom: 18,
      attribution: element.dataset.attribution || ""
    }).addTo(map);
  }
  var bounds = L.latLngBounds([]);
  if (areas && areas.features.length) {
    var areaLayer = L.geoJSON(areas, {
      style: { color: "#0b5d5b", weight: 2, fillOpacity: 0.08 },
      onEachFeature: function (feature, layer) {
        // The neighbourhood's name, always shown, in its middle.
        layer.bindTooltip(feature.properties.name, {
          permanent: true, direction: "center", className: "ss-map-label"
        });
      }
    }).addTo(map);
    bounds.extend(areaLayer.getBounds());
  }
  if (points && points.features.length) {
    var pointLayer = L.geoJSON(points, {
      pointToLayer: function (feature, latlng) {
        // 28 px across: a tap target of at least 24 px (WCAG 2.5.8).
        return L.circleMarker(latlng, {
          radius: 14, color: "#ffffff", weight: 3, fillColor: "#9a4509", fillOpacity: 0.95
        });
      },
      onEachFeature: function (feature, layer) {
        var link = document.createElement("a");
        link.href = feature.properties.url;
        link.textContent = feature.properties.name;
        layer.bindPopup(link);
      }
    }).addTo(map);
    bounds.extend(pointLayer.getBounds());
  }
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
  } else {
    map.setView([52.2, 5.3], 7);
  }
})();

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
  var map = L.map(element, { scrollWheelZoom: false, attributionControl: true });
  map.attributionControl.setPrefix("Leaflet");
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
        layer.bindTooltip(feature.properties.name);
      }
    }).addTo(map);
    bounds.extend(areaLayer.getBounds());
  }
  if (points && points.features.length) {
    var pointLayer = L.geoJSON(points, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {
          radius: 8, color: "#063c3b", weight: 2, fillColor: "#9a4509", fillOpacity: 0.9
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
